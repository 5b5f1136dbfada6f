// The last page of the vendor popup: hand the outcome to the link's page that opened it (our
// own origin only) and close. Without an opener the page itself tells the customer.
(function () {
  var outcome = JSON.parse(document.getElementById("oauth-outcome").textContent);
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage(outcome, window.location.origin);
    window.close();
  }
})();
