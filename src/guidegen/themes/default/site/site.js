/* guidegen web edition: the language switcher keeps the reader where they are,
   search over the recommendations of this language, details open for print.
   Works from file:// and offline; reads nothing but this page. */
(function () {
  "use strict";
  // The recommendation in view: the one whose top is last above a third of the screen.
  function current() {
    var best = null, recs = document.querySelectorAll("article.rec");
    for (var i = 0; i < recs.length; i++) {
      if (recs[i].getBoundingClientRect().top <= window.innerHeight / 3) best = recs[i]; else break;
    }
    return best ? "#" + best.id : location.hash;
  }
  document.querySelectorAll("a.switch").forEach(function (link) {
    link.addEventListener("click", function () {
      link.href = link.getAttribute("href").split("#")[0] + (location.hash && document.querySelector(location.hash) ? location.hash : current());
    });
  });

  // Search: case, Unicode form and the many ways of typing the Uzbek okina and tutuq are folded.
  function fold(text) {
    return text.normalize("NFC").toLocaleLowerCase().replace(/[\u02BB\u02BC\u2018\u2019\u0060\u00B4']/g, "'").replace(/\s+/g, " ");
  }
  var input = document.getElementById("q"), status = document.getElementById("q-status"), list = document.getElementById("q-results");
  var data = JSON.parse(document.getElementById("search-index").textContent);
  var entries = data.entries.map(function (e) { return { id: e.id, number: e.number, text: e.text, folded: fold(e.text) }; });
  function search() {
    var words = fold(input.value).trim().split(" ").filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var found = entries.filter(function (e) { return words.every(function (w) { return e.folded.indexOf(w) >= 0; }); });
    status.textContent = (found.length ? data.labels.found : data.labels.none).replace("%(count)s", String(found.length));
    found.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#rec-" + e.id;
      a.textContent = e.number + " " + (e.text.length > 140 ? e.text.slice(0, 140) + "…" : e.text);
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", search);

  // Printing shows everything that is folded away on screen.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
  });
})();
