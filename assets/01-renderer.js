/* Every Dash component that mounts tells the store to forget the update counts ("layout hashes")
   kept under its place in the layout: dash-renderer's RESET_COMPONENT_STATE. Each such dispatch makes
   every component on the page re-run its selector, so a callback that draws a table of 180 cells
   on a page of 300 components ran 180 x 300 selectors: about 250 ms of a Compare change, more
   than the chart's drawing. When nothing is kept under that place (always, for a component drawn for
   the first time) the reducer's answer is the same state, so the dispatch is skipped here; any
   other action, or a reset that would remove a count, goes through unchanged.

   tests/test_responsiveness.py checks that the pinned dash-renderer still handles the action only
   by removing the counts under `itempath` (keys starting with its comma-joined path), and, in the
   browser, that the skip happens and changes nothing drawn. */
(function () {
  "use strict";
  var RESET = "RESET_COMPONENT_STATE";

  function wouldChange(store, action) {
    var path = action.payload && action.payload.itempath;
    if (!path) return false;  // the reducer does nothing either
    var prefix = path.join(",");
    var hashes = store.getState().layoutHashes || {};
    for (var key in hashes) {
      if (Object.prototype.hasOwnProperty.call(hashes, key) && key.indexOf(prefix) === 0) return true;
    }
    return false;
  }

  function patch(store) {
    if (!store || store.__crosspilotResets) return;
    var dispatch = store.dispatch;
    store.__crosspilotResets = {skipped: 0, passed: 0};
    store.dispatch = function (action) {
      if (action && action.type === RESET) {
        if (!wouldChange(store, action)) {
          store.__crosspilotResets.skipped++;
          return action;
        }
        store.__crosspilotResets.passed++;
      }
      return dispatch.apply(this, arguments);
    };
  }

  // dash-renderer makes its store after the assets have run and publishes it as window.store.
  var current = window.store;
  patch(current);
  Object.defineProperty(window, "store", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (store) { patch(store); current = store; },
  });
})();
