/* Check-in page: decode QR codes from the camera with the vendored jsQR, or take a typed code;
   each code is posted to the page (JSON answer) and the answer is shown large. */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form) { return; }
  var result = document.getElementById("checkin-result");
  var count = document.getElementById("checked-in-count");
  var input = document.getElementById("id_code");
  var video = document.getElementById("checkin-video");
  var canvas = document.getElementById("checkin-canvas");
  var button = document.getElementById("checkin-camera");
  var msg = document.getElementById("checkin-camera-msg");
  var busy = false, lastCode = "", lastAt = 0;

  function show(data) {
    result.className = "checkin-result mb-3 p-4 rounded text-center display-6 " +
      (data.ok ? "bg-success text-white" : (data.status === "already" ? "bg-warning" : "bg-danger text-white"));
    result.textContent = data.message;
    if (data.name) {
      var n = document.createElement("div");
      n.className = "fs-5";
      n.textContent = data.name;
      result.appendChild(n);
    }
    if (count && typeof data.checked_in === "number") { count.textContent = data.checked_in; }
  }

  function submit(code) {
    if (busy) { return; }
    busy = true;
    var body = new FormData(form);
    body.set("code", code);
    fetch(window.location.href, {method: "POST", body: body, credentials: "same-origin",
                                 headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { show({ok: false, status: "error", message: form.dataset.msgNetwork}); })
      .finally(function () { busy = false; });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    submit(input.value);
    input.value = "";
    input.focus();
  });

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var ctx = canvas.getContext("2d");
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR && window.jsQR(img.data, img.width, img.height, {inversionAttempts: "dontInvert"});
      var now = Date.now();
      if (code && code.data && (code.data !== lastCode || now - lastAt > 4000)) {
        lastCode = code.data;
        lastAt = now;
        submit(code.data);
      }
    }
    window.requestAnimationFrame(tick);
  }

  if (button) {
    button.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        msg.textContent = form.dataset.msgNoCamera;
        return;
      }
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
        video.srcObject = stream;
        video.classList.remove("d-none");
        button.classList.add("d-none");
        video.play();
        window.requestAnimationFrame(tick);
      }).catch(function () { msg.textContent = form.dataset.msgCameraRefused; });
    });
  }
}());
