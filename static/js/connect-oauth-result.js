// The last page of the vendor popup. A success goes away by itself: the link's page in the
// operator's iframe learns the outcome from our server (browsers let a script close a window a
// script opened). A failure stays, so the customer can read what went wrong; the link's page
// says it too.
if (document.getElementById("oauth-result").dataset.outcome === "completed") {
  window.setTimeout(function () {
    window.close();
  }, 1200);
}
