// Confirms a card payment with Stripe.js. The card details go to Stripe only, never to
// Obole; the funds are credited when Stripe's signed webhook reaches the server, so this
// script only says what happened and goes back to the funds page.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form) return;
  var errorBox = document.getElementById("card-pay-error");
  var button = document.getElementById("card-pay");
  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
    button.disabled = false;
  }
  if (typeof window.Stripe !== "function") {
    showError(form.dataset.unavailable);
    button.disabled = true;
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errorBox.hidden = true;
    stripe
      .confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          showError(result.error.message || form.dataset.failed);
        } else {
          window.location.assign(form.dataset.done);
        }
      }, function () {
        showError(form.dataset.failed);
      });
  });
})();
