/* The page's language travels with every request it makes: Dash's callbacks are answered in the
   language the page was served in (<html lang>, set by the server), and an address without ?lang=
   gets it written back, so a copied or shared link opens in the same language. */
(function () {
  var lang = document.documentElement.lang || "en";
  var original = window.fetch;
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    if (url.indexOf("://") === -1 || url.indexOf(window.location.origin) === 0) {
      init = Object.assign({}, init || {});
      var headers = new Headers(init.headers || (typeof input !== "string" && input.headers) || {});
      if (!headers.has("X-Crosspilot-Language")) headers.set("X-Crosspilot-Language", lang);
      init.headers = headers;
    }
    return original.call(this, input, init);
  };
  var fallback = document.querySelector('meta[name="crosspilot-default-language"]');
  // A language chosen in the link (?lang=en too) is kept in the address from then on, so a reload or
  // a copied link never falls back on the browser's Accept-Language.
  var chosen = new URLSearchParams(window.location.search).has("lang");
  function keep() {
    var params = new URLSearchParams(window.location.search);
    var standard = fallback ? fallback.content : "en";
    if (params.get("lang") === lang || (!chosen && !params.has("lang") && lang === standard)) return;
    params.set("lang", lang);
    var url = window.location.pathname + "?" + params.toString() + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var method = window.history[name];
    window.history[name] = function () {
      var result = method.apply(this, arguments);
      keep();  // its own replaceState returns at once: the address then has the language
      return result;
    };
  });
  window.addEventListener("popstate", keep);
  keep();
  // Escape closes the language menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = event.target && event.target.closest && event.target.closest("details.lang-switcher[open]");
    if (!open) return;
    open.removeAttribute("open");
    var summary = open.querySelector("summary");
    if (summary) summary.focus();
  });
})();
