// dealpane's sign-in popup lands here: hand the code to the opener, at this origin only, and close.
(function () {
  var q = new URLSearchParams(location.search), o = window.opener;
  history.replaceState(null, "", location.pathname);
  if (o) o.postMessage({ code: q.get("code"), state: q.get("state"), error: q.get("error"), description: q.get("error_description") }, location.origin);
  window.close();
})();
