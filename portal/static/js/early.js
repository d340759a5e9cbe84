// Loaded in <head> without defer, before the first paint: marks the page as scripted, so the narrow-screen
// menu starts collapsed instead of opening and then closing (site.js shows the button that opens it).
document.documentElement.classList.add("js");
