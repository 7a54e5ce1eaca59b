// Runs first thing in <body>, before anything is painted: marks the page as having
// JavaScript (and GOV.UK Frontend as supported where ES modules are), so that components
// are styled for JavaScript from the start. A file rather than an inline script, so that
// the Content Security Policy can refuse every inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
