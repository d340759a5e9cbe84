// The card page: Stripe Elements confirms the PaymentIntent made on the server; the webhook counts it.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") return;
  var stripe = Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    document.getElementById("card-submit").disabled = true;
    stripe.confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } }).then(function (result) {
      if (result.error) {
        errors.textContent = result.error.message;
        document.getElementById("card-submit").disabled = false;
      } else {
        window.location.assign(form.dataset.doneUrl);
      }
    });
  });
})();
