// Offline search for the static export: loads search-index.json (built by `zeroopposite export --static`)
// and ranks articles by the query's words. Without this script the page still lists every topic.
(function () {
  "use strict";
  var box = document.getElementById("static-search");
  if (!box || !window.fetch) return;
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var input = document.getElementById("site-search");
  if (input) input.value = q;
  if (!q) return;
  function words(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }
  fetch(box.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (idx) {
    var scores = {};
    var terms = words(q);
    // Joined forms let "post traumatic" match "posttraumatic".
    for (var i = 0; i + 1 < terms.length; i++) terms.push(terms[i] + terms[i + 1]);
    terms.forEach(function (t) {
      Object.keys(idx.terms).forEach(function (w) {
        if (w === t || (t.length >= 4 && w.indexOf(t) === 0)) {
          var weight = w === t ? 2 : 1;
          idx.terms[w].forEach(function (d) { scores[d] = (scores[d] || 0) + weight; });
        }
      });
    });
    var ranked = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a]; }).slice(0, 20);
    var heading = document.createElement("h2");
    heading.textContent = ranked.length ? ranked.length + " articles found for \u201c" + q + "\u201d" : "No articles found for \u201c" + q + "\u201d";
    heading.setAttribute("role", "status");
    box.appendChild(heading);
    var list = document.createElement("ol");
    list.className = "article-list";
    ranked.forEach(function (d) {
      var doc = idx.docs[d];
      var li = document.createElement("li");
      li.className = "article-card";
      var h = document.createElement("h3");
      h.className = "card-title";
      var a = document.createElement("a");
      a.href = idx.root + "articles/" + doc[0] + "/index.html";
      a.textContent = doc[1];
      h.appendChild(a);
      var p = document.createElement("p");
      p.textContent = doc[2];
      li.appendChild(h);
      li.appendChild(p);
      list.appendChild(li);
    });
    box.appendChild(list);
  });
})();
