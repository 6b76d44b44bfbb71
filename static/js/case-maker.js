/* The case maker's small conveniences. Everything works without them: the share link and the
 * plain text are selectable, and the builder is a plain GET form. */
(function () {
  "use strict";

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copy);
      var status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]');
      if (!source || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(
          function () { if (status) { status.textContent = button.dataset.done || "Copied."; } },
          function () {
            source.select();
            if (status) { status.textContent = button.dataset.failed || ""; }
          }
        );
      });
    });
  }

  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Ticking a choice gives it the next number; unticking clears it, so the order follows clicks.
  function numberChoices(form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox" || (box.name !== "stat" && box.name !== "story")) {
        return;
      }
      var order = form.querySelector('[name="order-' + box.name + "-" + box.value + '"]');
      if (!order) {
        return;
      }
      if (!box.checked) {
        order.value = "";
        return;
      }
      if (!order.value) {
        var highest = 0;
        form.querySelectorAll('input[type="number"][name^="order-' + box.name + '-"]').forEach(
          function (input) { highest = Math.max(highest, parseInt(input.value, 10) || 0); }
        );
        order.value = String(highest + 1);
      }
    });
  }

  function preview(form) {
    var aside = document.querySelector("[data-case-preview]");
    var body = document.querySelector("[data-case-preview-body]");
    if (!aside || !body || !window.fetch || !window.DOMParser) {
      return;
    }
    var timer = null;
    var latest = 0;

    function refresh() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (value !== "" && name !== "sector" && name !== "theme") { params.append(name, value); }
      });
      var request = ++latest;
      fetch(form.dataset.previewUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || request !== latest) {
            return;
          }
          var page = new DOMParser().parseFromString(html, "text/html");
          var documentPart = page.querySelector("[data-case-document]");
          body.replaceChildren();
          if (documentPart) {
            body.appendChild(document.importNode(documentPart, true));
          } else {
            var empty = page.querySelector(".empty-state");
            if (empty) { body.appendChild(document.importNode(empty, true)); }
          }
          aside.hidden = false;
        })
        .catch(function () { /* the preview is a convenience; the form still works */ });
    }

    function soon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    refresh();
  }

  copyButtons();
  printButtons();
  var builder = document.querySelector("[data-case-builder]");
  if (builder) {
    numberChoices(builder);
    preview(builder);
  }
})();
