// While a resident describes a need, show similar open needs nearby so they can join one.
(function () {
  var form = document.getElementById("need-form");
  var target = document.getElementById("similar-needs");
  if (!form || !target) return;
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    ["title", "description", "category", "region"].forEach(function (name) {
      params.set(name, data.get(name) || "");
    });
    if (!params.get("category") || !params.get("region") || params.get("title").length < 2) return;
    fetch(form.dataset.similarUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { target.innerHTML = html; });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  form.addEventListener("change", refresh);
})();
