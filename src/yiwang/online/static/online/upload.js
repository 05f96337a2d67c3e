// Material uploads on the online application page: refuse a file the server would refuse before
// sending it (size, type), send it as soon as it is chosen, and show how far the upload has got.
(function () {
  "use strict";
  var ACCEPTED = [".pdf", ".jpg", ".jpeg", ".png", ".ofd"];

  function note(form, text) {
    var span = form.querySelector(".upload-note");
    if (span) { span.textContent = text; }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-upload]")) { return; }
    var form = input.form;
    var file = input.files && input.files[0];
    if (!file) { return; }
    var name = file.name.toLowerCase();
    var okType = ACCEPTED.some(function (suffix) { return name.endsWith(suffix); });
    var limit = parseInt(form.dataset.maxBytes || "0", 10);
    if (!okType) {
      note(form, form.closest("table").dataset.wrongType || "");
      input.value = "";
      return;
    }
    if (limit && file.size > limit) {
      note(form, form.closest("table").dataset.tooLarge || "");
      input.value = "";
      return;
    }
    note(form, "");
    window.htmx.trigger(form, "upload");
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form.upload-form");
    if (!form || !event.detail.lengthComputable) { return; }
    var bar = form.querySelector("progress");
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
})();
