/* A part of a page drawn only when the reader comes near it. Networks' "All pilots compared" is two
   charts of a dozen panels each: plotly took 1.2 s of the main thread to draw them on every visit,
   half the page's load, though the section is far below the first screen. Its callback now waits
   for a store that this sets to true once the section is within half a screen of the viewport
   (scrolled to, or reached by the keyboard: focus scrolls it into view). A browser without
   IntersectionObserver gets it drawn at once.

   The watch starts once the page's callbacks have answered: before, the parts above it are still
   empty, the section sits near the top, and it would be drawn at once.

   `near(sectionId, storeId)` is the clientside callback's function: it fires as the section mounts
   and returns nothing itself; the store is set later, through dash_clientside.set_props. */
(function () {
  "use strict";
  var ns = (window.dash_clientside = window.dash_clientside || {});
  ns.crosspilot = ns.crosspilot || {};

  // No callback requested, waiting or running: dash-renderer keeps them in lists under
  // state.callbacks (and a count of the completed ones).
  function settled() {
    var state = window.store && window.store.getState();
    if (!state || !state.callbacks) return false;
    return Object.keys(state.callbacks).every(function (stage) {
      var list = state.callbacks[stage];
      return !Array.isArray(list) || !list.length;
    });
  }

  function watch(sectionId, storeId, tries) {
    var section = document.getElementById(sectionId);
    // The callback runs before React has put the section into the page, and the page above it is
    // filled in by callbacks of its own: wait for both (at most 20 s, then watch as it is).
    if (!section && tries >= 200) return;  // not on this page after all
    if (!section || (!settled() && tries < 200)) {
      window.setTimeout(function () { watch(sectionId, storeId, tries + 1); }, 100);
      return;
    }
    if (section.__crosspilotNear) section.__crosspilotNear.disconnect();
    var observer = new IntersectionObserver(
      function (entries) {
        if (!entries.some(function (e) { return e.isIntersecting; })) return;
        observer.disconnect();
        ns.set_props(storeId, {data: true});
      },
      {rootMargin: "0px 0px 50% 0px"}  // half a screen ahead: drawn as the reader gets there
    );
    section.__crosspilotNear = observer;
    observer.observe(section);
  }

  ns.crosspilot.near = function (sectionId, storeId) {
    if (!window.IntersectionObserver) return true;
    watch(sectionId, storeId, 0);
    return ns.no_update;
  };
})();
