// Offline search for the static export (`zeroopposite export --static`). The index is cut into small
// files (see src/render/offline_index.rs): meta.json lists the term shards; a query loads only the
// shards of its words and the chunks of the articles it shows. Without this script the page still
// lists every topic.
(function () {
  "use strict";
  var box = document.getElementById("static-search");
  if (!box || !window.fetch || !window.URL || !window.TextEncoder) return;
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var input = document.getElementById("site-search");
  if (input) input.value = q;
  if (!q) return;
  var SHOWN = 20;
  // A prefix ("trauma") may spread over a few shards of longer keys; more than this are not loaded.
  var MAX_PREFIX_SHARDS = 4;
  var metaUrl = new URL(box.getAttribute("data-index"), window.location.href);
  function words(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }
  function json(path) {
    return fetch(new URL(path, metaUrl)).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }
  function shardFile(key) {
    if (!key) return "t/_.json";
    return "t/" + Array.from(new TextEncoder().encode(key), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("") + ".json";
  }
  // The shard holding a word is the longest key that is a prefix of it.
  function home(keys, word) {
    var best = null;
    keys.forEach(function (k) {
      if (word.indexOf(k) === 0 && (best === null || k.length > best.length)) best = k;
    });
    return best;
  }
  function show(heading, ranked, docs, root) {
    var h2 = document.createElement("h2");
    h2.textContent = heading;
    h2.setAttribute("role", "status");
    box.appendChild(h2);
    var list = document.createElement("ol");
    list.className = "article-list";
    ranked.forEach(function (d) {
      var doc = docs[d];
      if (!doc) return;
      var li = document.createElement("li");
      li.className = "article-card";
      var h = document.createElement("h3");
      h.className = "card-title";
      var a = document.createElement("a");
      a.href = root + "articles/" + encodeURIComponent(doc[0]) + "/index.html";
      a.textContent = doc[1];
      h.appendChild(a);
      var p = document.createElement("p");
      p.textContent = doc[2];
      li.appendChild(h);
      li.appendChild(p);
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  json("meta.json").then(function (meta) {
    var terms = words(q);
    // Joined forms let "post traumatic" match "posttraumatic".
    for (var i = 0, n = terms.length; i + 1 < n; i++) terms.push(terms[i] + terms[i + 1]);
    var wanted = {};
    terms.forEach(function (t) {
      var k = home(meta.shards, t);
      if (k !== null) wanted[k] = true;
      if (t.length >= 4) {
        meta.shards.filter(function (s) { return s.length > t.length && s.indexOf(t) === 0; })
          .slice(0, MAX_PREFIX_SHARDS).forEach(function (s) { wanted[s] = true; });
      }
    });
    var keys = Object.keys(wanted);
    return Promise.all(keys.map(function (k) { return json(shardFile(k)); })).then(function (shards) {
      var scores = {};
      terms.forEach(function (t) {
        shards.forEach(function (shard) {
          Object.keys(shard).forEach(function (w) {
            var exact = w === t;
            if (!exact && !(t.length >= 4 && w.indexOf(t) === 0)) return;
            // Lists are best first: a small bonus by rank, never worth a second matching word.
            var list = shard[w], base = exact ? 2 : 1;
            list.forEach(function (d, rank) {
              scores[d] = (scores[d] || 0) + base * (1 + 0.5 * (1 - rank / list.length));
            });
          });
        });
      });
      var found = Object.keys(scores);
      var ranked = found.sort(function (a, b) { return scores[b] - scores[a] || a - b; }).slice(0, SHOWN);
      var chunks = {};
      ranked.forEach(function (d) { chunks[Math.floor(d / meta.per_chunk)] = true; });
      var ids = Object.keys(chunks);
      return Promise.all(ids.map(function (c) { return json("d/" + c + ".json"); })).then(function (rows) {
        var docs = {};
        ids.forEach(function (c, i) {
          rows[i].forEach(function (row, j) { docs[c * meta.per_chunk + j] = row; });
        });
        var quoted = "\u201c" + q + "\u201d";
        var heading = !found.length ? "No articles found for " + quoted
          : found.length > SHOWN ? "The " + SHOWN + " best matches for " + quoted
          : found.length + (found.length === 1 ? " article" : " articles") + " found for " + quoted;
        show(heading, ranked, docs, meta.root);
      });
    });
  }).catch(function () {
    var p = document.createElement("p");
    p.setAttribute("role", "status");
    p.textContent = "Search could not load its index; the topics below still lead to every article.";
    box.appendChild(p);
  });
})();
