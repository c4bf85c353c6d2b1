/* The shell's links follow the address in the browser, without a round trip: each navigation link
   keeps the theme (and the language), the theme switch keeps the view, and each language link opens
   this same view in its language. The router (callbacks/router.py) wires `links`; the server renders
   a page only when its path or theme changes.

   The query is read and written as Python's parse_qsl and urlencode do (tests/test_browser.py
   compares them), so a link built here is the link the server would build. */
(function () {
  var ns = (window.dash_clientside = window.dash_clientside || {});
  ns.crosspilot = ns.crosspilot || {};

  // parse_qsl(keep_blank_values=False) into a dict: a repeated key keeps its first place, last value.
  function parse(search) {
    var pairs = new Map();
    new URLSearchParams((search || "").replace(/^\?/, "")).forEach(function (value, key) {
      if (value !== "") pairs.set(key, value);
    });
    return pairs;
  }

  // urllib.parse.quote_plus: only letters, digits and _.-~ are left as they are.
  function quote(text) {
    return encodeURIComponent(text)
      .replace(/[!'()*]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); })
      .replace(/%20/g, "+");
  }

  function withQuery(path, pairs) {
    var parts = [];
    pairs.forEach(function (value, key) { parts.push(quote(key) + "=" + quote(value)); });
    return path + (parts.length ? "?" + parts.join("&") : "");
  }

  function currentLanguage() {
    return document.documentElement.lang || "en";
  }

  function defaultLanguage() {
    var meta = document.querySelector('meta[name="crosspilot-default-language"]');
    return meta ? meta.content : "en";
  }

  // layouts/shell.py's with_theme: the query without theme and lang, then each if not the default.
  function withTheme(path, theme, query) {
    var pairs = new Map();
    (query || new Map()).forEach(function (value, key) {
      if (key !== "theme" && key !== "lang") pairs.set(key, value);
    });
    if (theme !== "standard") pairs.set("theme", theme);
    if (currentLanguage() !== defaultLanguage()) pairs.set("lang", currentLanguage());
    return withQuery(path, pairs);
  }

  // Returns [theme, theme switch href, ...navigation hrefs, ...language hrefs].
  ns.crosspilot.links = function (pathname, search, targets, shown) {
    var path = pathname || "/";
    var query = parse(search);
    var theme = query.get("theme") === "projector" ? "projector" : "standard";
    var other = theme === "projector" ? "standard" : "projector";
    var out = [theme === shown ? window.dash_clientside.no_update : theme, withTheme(path, other, query)];
    (targets.nav || []).forEach(function (target) { out.push(withTheme(target, theme)); });
    (targets.languages || []).forEach(function (code) {
      var pairs = new Map();
      query.forEach(function (value, key) { if (key !== "lang") pairs.set(key, value); });
      pairs.set("lang", code);  // explicit, even the default: it beats Accept-Language
      out.push(withQuery(path, pairs));
    });
    return out;
  };
})();
