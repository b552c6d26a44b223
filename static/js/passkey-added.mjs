// Once django-otp-webauthn's script has added a passkey, send the page's "passkey added" form,
// which goes on to the recovery codes (for a first second factor) or back to the list.
document.addEventListener("otp_webauthn.register_complete", () => {
  document.getElementById("passkey-added")?.submit();
});
