// Builds the front-end assets into socialvalue/core/static/dist/ (run with `npm run build`).
//
// - frontend/scss/main.scss → dist/main.css (GOV.UK Frontend and our own styles, compressed)
// - the browser builds of GOV.UK Frontend, htmx, Leaflet and Chart.js, with their source maps
//   (the static files manifest follows `sourceMappingURL` comments, so they must exist)
// - images: those GOV.UK Frontend's CSS refers to, Leaflet's, and our favicon
//
// GOV.UK Frontend's fonts are deliberately not copied: the platform uses system fonts. Nor
// are its favicons and touch icons, which show the crown: the platform is not GOV.UK.

import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const dist = join(root, "socialvalue", "core", "static", "dist");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");

const copies = [
  [join(govuk, "govuk-frontend.min.js"), "govuk-frontend.min.js"],
  [join(govuk, "govuk-frontend.min.js.map"), "govuk-frontend.min.js.map"],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), "htmx.min.js"],
  [join(modules, "leaflet", "dist", "leaflet.js"), "leaflet.js"],
  [join(modules, "leaflet", "dist", "leaflet.js.map"), "leaflet.js.map"],
  [join(modules, "leaflet", "dist", "leaflet.css"), "leaflet.css"],
  [join(modules, "chart.js", "dist", "chart.umd.min.js"), "chart.umd.min.js"],
  [join(modules, "chart.js", "dist", "chart.umd.min.js.map"), "chart.umd.min.js.map"],
  [join(root, "frontend", "images", "favicon.svg"), join("images", "favicon.svg")],
];


function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function buildCss() {
  const result = sass.compile(join(root, "frontend", "scss", "main.scss"), {
    style: "compressed",
    loadPaths: [modules],
    quietDeps: true,
  });
  const css = result.css;
  // The platform must not load the GDS Transport typeface or any other web font.
  if (/@font-face/i.test(css) || /GDS Transport/i.test(css)) {
    fail("the compiled CSS declares a web font; check $govuk-font-family in main.scss");
  }
  if (/url\([^)]*\.(woff2?|ttf|otf|eot)/i.test(css)) {
    fail("the compiled CSS references a font file");
  }
  writeFileSync(join(dist, "main.css"), css + "\n");
  // Copy the images the CSS refers to, so every url resolves beside main.css.
  for (const [, name] of css.matchAll(/url\("?images\/([^")]+)"?\)/g)) {
    copyFileSync(join(govuk, "assets", "images", name), join(dist, "images", name));
  }
  return css.length;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "images"), { recursive: true });

cpSync(join(modules, "leaflet", "dist", "images"), join(dist, "images"), { recursive: true });
for (const [from, to] of copies) {
  mkdirSync(dirname(join(dist, to)), { recursive: true });
  copyFileSync(from, join(dist, to));
}
const cssBytes = buildCss();

const version = JSON.parse(readFileSync(join(modules, "govuk-frontend", "package.json"), "utf8")).version;
console.log(
  `built ${relative(root, dist)}: main.css ${cssBytes} bytes (GOV.UK Frontend ${version}), ` +
    `${copies.length} files copied`,
);
