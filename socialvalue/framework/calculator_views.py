"""The public social value calculator page, /calculator/."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from socialvalue.core.access import ANYONE, access
from socialvalue.framework.calculator import calculate, measure_infos_for_version
from socialvalue.framework.calculator_forms import CalculatorForm
from socialvalue.framework.selectors import framework_version_current


@access(ANYONE)
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def calculator(request: HttpRequest) -> HttpResponse:
    """Anyone can value a set of commitments: a plain form POST shows the results on the
    page; with htmx the results panel updates as quantities are typed. A GET with measure
    codes as parameters (``?NT1=2.5&contract_value=1000000``) calculates too, so a result
    can be shared as a link; ``?measure=NT4`` highlights one measure."""
    version = framework_version_current()
    if version is None:
        return render(request, "framework/calculator.html", {"version": None})
    measures = measure_infos_for_version(version)

    data: Any = None
    if request.method == "POST":
        data = request.POST
    elif CalculatorForm.field_names(measures).intersection(request.GET):
        data = request.GET
    form = CalculatorForm(data, measures=measures)

    calculation = None
    if form.is_bound and form.is_valid():
        commitments = form.commitments()
        if commitments:
            calculation = calculate(
                measures=measures,
                commitments=commitments,
                contract_value=form.cleaned_data["contract_value"],
                framework=version.name,
            )
    highlight = request.GET.get("measure", "")
    context = {
        "version": version,
        "form": form,
        "calculation": calculation,
        "highlight": highlight if highlight in measures else "",
    }
    if request.headers.get("HX-Request"):
        return render(request, "framework/_calculator_results.html", {**context, "live": True})
    return render(request, "framework/calculator.html", context)
