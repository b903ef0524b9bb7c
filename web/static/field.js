// custody field page: scan a wristband's QR code with the camera where the
// browser can (getUserMedia and the BarcodeDetector API), put what it
// reads in the board form's code field and send the form. Without this
// script, or where the browser cannot scan, the typed-ID form works alone.
(function () {
  "use strict";
  var form = document.getElementById("board");
  var box = document.getElementById("scanner");
  if (!form || !box) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var code = document.getElementById("code");
  var stream = null;
  var timer = null;
  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (e) {
    return;
  }
  box.hidden = false;

  function stop() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    button.disabled = false;
  }

  function look() {
    if (!stream) return;
    detector.detect(video).then(function (found) {
      for (var i = 0; i < found.length; i++) {
        var text = (found[i].rawValue || "").trim();
        if (text.indexOf("CUSTODY1:") === 0) {
          code.value = text;
          status.textContent = text;
          stop();
          form.submit();
          return;
        }
      }
      timer = setTimeout(look, 250);
    }).catch(function () {
      timer = setTimeout(look, 500);
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(look).catch(function (err) {
      status.textContent = String(err && err.name || err);
      stop();
    });
  });
  window.addEventListener("pagehide", stop);
})();
