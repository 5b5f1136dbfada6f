// An EMBEDDED link's page lives in the operator's iframe, where vendors refuse to show their
// consent page: it opens in a popup instead. The popup must be opened in the click itself
// (browsers block one opened later), so the form posts into a window opened right here.
// The popup's last page reports how it ended (connect-oauth-result.js); a success finishes
// with the protocol of Kombo's @kombo-api/connect.
(function () {
  var form = document.getElementById("oauth-start");
  var waiting = document.getElementById("oauth-waiting");
  var blocked = document.getElementById("oauth-blocked");
  var failed = document.getElementById("oauth-failed");
  var done = document.getElementById("oauth-done");

  form.addEventListener("submit", function (event) {
    var popup = window.open("", form.target, "popup,width=620,height=760");
    if (!popup) {
      event.preventDefault();
      waiting.hidden = true;
      blocked.hidden = false;
      return;
    }
    blocked.hidden = true;
    failed.hidden = true;
    waiting.hidden = false;
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data) {
      return;
    }
    waiting.hidden = true;
    if (event.data.type === "kombo-site:oauth-success") {
      form.hidden = true;
      done.hidden = false;
      window.parent.postMessage(
        { type: "success", data: { activation_token: event.data.activation_token } },
        "*"
      );
    } else if (event.data.type === "kombo-site:oauth-failed") {
      failed.textContent = event.data.message;
      failed.hidden = false;
    }
  });
})();
