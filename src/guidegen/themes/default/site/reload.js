/* Live preview only (guidegen serve): reload when the guideline was rendered again, keeping the reader's place. */
(function () {
  "use strict";
  var key = "guidegen-scroll:" + location.pathname, seen = null;
  var kept = sessionStorage.getItem(key);
  if (kept !== null) { sessionStorage.removeItem(key); window.scrollTo(0, parseInt(kept, 10)); }
  function poll() {
    fetch("/__version", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (v) {
      if (seen !== null && v.version !== seen) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
        return;
      }
      seen = v.version;
      setTimeout(poll, 100);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
