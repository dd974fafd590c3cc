/* Opens the reader's language (the browser's preference), keeping any #recommendation. */
(function () {
  "use strict";
  var list = document.querySelector("[data-languages]");
  var available = list.getAttribute("data-languages").split(" ");
  var wanted = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < wanted.length; i++) {
    var tag = wanted[i].toLowerCase();
    for (var j = 0; j < available.length; j++) {
      var have = available[j].toLowerCase();
      if (tag === have || tag.split("-")[0] === have) {
        location.replace(available[j] + "/index.html" + location.hash);
        return;
      }
    }
  }
})();
