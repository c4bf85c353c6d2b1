// Writes assets/20-plotly-locales.js: plotly.js's own locales (npm package plotly.js-locales, MIT) for
// the interface languages in crosspilot/locale/languages.json, so separators, month names and the
// toolbar follow the page's language offline. Run again after a plotly upgrade:
//   (cd /tmp && npm pack plotly.js-locales@3.7.0 && tar xzf plotly.js-locales-3.7.0.tgz)
//   node scripts/vendor_plotly_locales.js /tmp/package
const fs = require("fs");
const path = require("path");
const source = process.argv[2];
if (!source) throw new Error("usage: node scripts/vendor_plotly_locales.js <plotly.js-locales folder>");
const root = path.join(__dirname, "..");
const langs = JSON.parse(fs.readFileSync(path.join(root, "crosspilot/locale/languages.json"), "utf8"));
const version = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8")).version;
const locales = langs.languages.filter((l) => l.plotly).map((l) => require(path.join(source, l.plotly + ".js")));
const body = [
  `/* plotly.js locales ${locales.map((l) => l.name).join(", ")}, from plotly.js-locales ${version}`,
  " * (MIT License, Copyright (c) 2016-2024 Plotly, Inc). Written by scripts/vendor_plotly_locales.js. */",
  "(function () {",
  `  var locales = ${JSON.stringify(locales)};`,
  "  // Registered now if plotly has loaded, else queued where plotly registers them as it loads.",
  "  if (typeof window.Plotly !== 'undefined' && window.Plotly.register) { window.Plotly.register(locales); }",
  "  else { window.PlotlyLocales = (window.PlotlyLocales || []).concat(locales); }",
  "})();",
  "",
].join("\n");
fs.writeFileSync(path.join(root, "assets/20-plotly-locales.js"), body);
console.log(`wrote assets/20-plotly-locales.js: ${locales.length} locales, ${body.length} bytes`);
