// Starts GOV.UK Frontend's components on every page, and on content htmx swaps in.
//
// The address of GOV.UK Frontend's module comes from the script tag's
// data-govuk-frontend attribute: it carries the static files' content hash in production,
// which a fixed import path here could not.
const script = document.querySelector("script[data-govuk-frontend]");
const { initAll } = await import(script.dataset.govukFrontend);

initAll();
document.body.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));
