// Material 9.8's partials/javascripts/palette.html, unchanged (the last line), as a file:
// the reader's chosen colour scheme is restored before the page paints. Inline it was 684
// bytes on every page (34 MB at 50,000 papers); as a file it is fetched once and cached.
// Loaded synchronously where the inline script stood (overrides/partials/javascripts/).
//
// On a paper page the palette's form comes empty (overrides/partials/palette.html: 907
// bytes of every paper page): it is filled first with the markup the theme writes on
// every other page from mkdocs.yml's `theme.palette` (a browser test compares the two),
// its icons the sprite sheet's (generator/finish/html_steps.py).
;(() => {
  const form = document.currentScript.previousElementSibling
  if (!form || form.dataset.mdComponent !== "palette" || form.firstElementChild) return
  const options = [
    ["(prefers-color-scheme: light)", "default", "Dark mode", "id8f4db06c0"],
    ["(prefers-color-scheme: dark)", "slate", "Light mode", "i8bcae73f19"],
  ]
  form.innerHTML = options.map(([media, scheme, name, icon], i) =>
    `<input class="md-option" data-md-color-media="${media}" data-md-color-scheme="${scheme}" ` +
    `data-md-color-primary="indigo" data-md-color-accent="indigo" aria-label="${name}" ` +
    `type="radio" name="__palette" id="__palette_${i}"><label class="md-header__button md-icon" ` +
    `title="${name}" for="__palette_${(i + 1) % options.length}" hidden><svg viewBox="0 0 24 24">` +
    `<use href="${__md_scope.href}assets/icons.svg#${icon}"></use></svg></label>`).join("")
})()
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
