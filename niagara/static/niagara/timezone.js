// The browser's time zone, for the server to show times in (niagara.middleware): kept in a
// cookie, read from the next page on (the first page names the zone it used).
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var cookie = "niagara_tz=" + zone;  // IANA names are cookie-safe (letters, /, _, -, +)
    if (zone && document.cookie.split("; ").indexOf(cookie) === -1) {
      document.cookie = cookie + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) {
    // No Intl time zone: times stay in the server's zone, which every page names.
  }
})();
