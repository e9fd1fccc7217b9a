// Resumable upload of a supporter file (tus 1.0.0 through tus-js-client, static/vendor/tus.min.js), served by
// SILON's support API (support_uploads/api_resumable.py). The upload's address is kept in localStorage by the
// file's fingerprint, so after a broken connection (retried here) or a reload (the same file chosen again) it
// continues from the offset the server reports. The plain form beside it stays for small files.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("resumable");
  if (!box || !window.tus || !window.tus.isSupported) { return; }
  box.hidden = false;
  var input = document.getElementById("resumable-file");
  var button = document.getElementById("resumable-button");
  var bar = document.getElementById("resumable-progress");
  var statusLine = document.getElementById("resumable-status");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var text = function (key) { return box.getAttribute("data-text-" + key) || ""; };

  function detail(error) {
    var response = error && error.originalResponse;
    if (!response) { return ""; }
    try { return JSON.parse(response.getBody()).detail || ""; } catch (e) { return ""; }
  }

  button.addEventListener("click", function () {
    var file = input.files && input.files[0];
    if (!file) { statusLine.textContent = text("choose"); return; }
    button.disabled = true;
    bar.hidden = false;
    var upload = new window.tus.Upload(file, {
      endpoint: box.getAttribute("data-endpoint"),
      chunkSize: parseInt(box.getAttribute("data-chunk"), 10),
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, pair: box.getAttribute("data-pair") },
      headers: { "X-CSRFToken": token ? token.value : "" },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        var percent = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = percent;
        statusLine.textContent = text("sending") + " " + percent + "%";
      },
      onShouldRetry: function (error, attempt, options) {
        statusLine.textContent = text("retrying");
        var status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        // tus-js-client's own rule: not a refusal (4xx) but a conflict or a lock, and the browser is online
        return (status < 400 || status >= 500 || status === 409 || status === 423) && navigator.onLine !== false;
      },
      onError: function (error) {
        statusLine.textContent = text("failed") + " " + detail(error);
        button.disabled = false;
      },
      onSuccess: function (payload) {
        var id = payload.lastResponse.getHeader("Silon-Upload-Id");
        bar.value = 100;
        statusLine.textContent = text("done");
        if (id) { window.location.assign(box.getAttribute("data-upload-url").replace("/0/", "/" + id + "/")); }
      },
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        statusLine.textContent = text("resumed");
      }
      upload.start();
    });
  });
});
