// An EMBEDDED link's page lives in the operator's iframe, where vendors refuse to show their
// consent page: it opens in a popup instead. The popup must be opened in the click itself
// (browsers block one opened later), so the form posts into a window opened right here.
// How the trip ended is asked of our server (the popup may be cut off from this page by the
// vendor's pages); a success finishes with the protocol of Kombo's @kombo-api/connect.
// The button comes disabled: clicked before this script ran, the form would open the vendor
// in a window this page never hears of, and the customer would wait here for nothing.
(function () {
  var form = document.getElementById("oauth-start");
  var waiting = document.getElementById("oauth-waiting");
  var blocked = document.getElementById("oauth-blocked");
  var failed = document.getElementById("oauth-failed");
  var done = document.getElementById("oauth-done");
  var tripUrl = window.location.pathname + "/oauth-trip";
  var reported = null;
  var polling = null;

  function ask() {
    fetch(tripUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (trip) {
        if (!trip || trip.trip === reported) {
          return;
        }
        if (trip.state === "COMPLETED") {
          reported = trip.trip;
          window.clearInterval(polling);
          waiting.hidden = true;
          form.hidden = true;
          done.hidden = false;
          if (trip.activation_token) {
            window.parent.postMessage(
              { type: "success", data: { activation_token: trip.activation_token } },
              "*"
            );
          }
        } else if (trip.state === "FAILED") {
          reported = trip.trip;
          window.clearInterval(polling);
          waiting.hidden = true;
          failed.textContent = trip.message;
          failed.hidden = false;
        }
      })
      .catch(function () {
        // A missed answer is asked again at the next tick.
      });
  }

  // The outcome of a trip that ended before this page (re)loaded is not news.
  fetch(tripUrl, { cache: "no-store", credentials: "same-origin" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (trip) {
      if (trip && trip.state === "FAILED") {
        reported = trip.trip;
      }
    })
    .catch(function () {});

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
    window.clearInterval(polling);
    polling = window.setInterval(ask, 1000);
  });
  document.getElementById("oauth-continue").disabled = false;
})();
