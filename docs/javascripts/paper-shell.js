// The parts of a paper page's shell that nobody sees before a script runs, built here
// instead of sent in every paper page (issue 31, item 2): Material's configuration, its
// search dialog (closed until opened; search needs scripts anyway) and the phone's
// navigation drawer (shut until opened). As markup they were 2.9 KB of each of
// thousands of paper pages; as this file they are fetched once and cached.
//
// Loaded synchronously where Material's configuration stood (overrides/main.html), just
// before Material's bundle, which then finds the same markup it would have found in the
// page: the same elements, classes and labels as on every other page (a browser test
// compares them, tests/browser/test_paper_shell.py). It builds the navigation tabs too,
// into a bar the stylesheet keeps at its height, so nothing moves when they come (the
// dark-mode toggle is javascripts/palette-restore.js's, in the header). Without scripts
// the drawer's button opens an empty drawer and there are no tabs; the header's logo
// still leads home and the footer to About.
//
// It also completes two parts of the article that only matter once clicked: the byline's
// author names become searches for their other papers, and a new curation file's "Suggest
// an edit" link gets the text a curator starts from. Without scripts the names are text
// and the link opens an empty file of the right name.
;(() => {
  // What a new curation file starts with (generator/render/edit_links.py).
  const CURATION_TEMPLATE = `# yaml-language-server: $schema=../../../generator/schemas/curation.schema.json
# Edits to this paper; every key is optional.
# See CONTRIBUTING.md.
# title: "{title}"
# tags: {add: [], remove: []}
# same_as: []          # ids of duplicates to merge into this paper
# not_same_as: []      # ids of different papers with the same title
# hidden: "reason"
# arxiv: "2401.01234"
# authors: []
# year: 2024
# venue: ""
# links: {code: "", project: "", pdf: ""}
# note: ""
`

  // This file's address, one folder up: the site's root (material-scope.js does the same).
  const root = new URL("..", document.currentScript.src).href
  const icon = id => `<svg viewBox="0 0 24 24"><use href="${root}assets/icons.svg#${id}"></use></svg>`

  // Material 9.8's config block as overrides/main.html writes it on every other page.
  const config = document.createElement("script")
  config.id = "__config"
  config.type = "application/json"
  config.textContent = JSON.stringify({
    base: root,
    features: ["navigation.tabs", "navigation.top", "search.highlight", "content.tooltips"],
    search: `${root}javascripts/paper-search-worker.js`,
    translations: {
      "search.result.more.one": "1 more on this page",
      "search.result.more.other": "# more on this page",
      "search.result.none": "No matching documents",
      "search.result.one": "1 matching document",
      "search.result.other": "# matching documents",
      "search.result.placeholder": "Type to start searching",
      "search.result.term.missing": "Missing"
    }
  })
  document.currentScript.after(config)

  // The search dialog (overrides/partials/search.html), after the header's search button
  // as on every other page. Its icons are the sprite sheet's (generator/finish/): the
  // magnifier, the arrow back and the cross, which every other page's dialog uses.
  const button = document.querySelector(".md-header__button[for='__search']")
  if (button) {
    button.insertAdjacentHTML("afterend",
      '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">' +
      '<label class="md-search__overlay" for="__search"></label>' +
      '<div class="md-search__inner" role="search"><form class="md-search__form" name="search">' +
      '<input type="text" class="md-search__input" name="query" aria-label="Search" ' +
      'placeholder="Search" autocapitalize="off" autocorrect="off" autocomplete="off" ' +
      'spellcheck="false" data-md-component="search-query" required>' +
      `<label class="md-search__icon md-icon" for="__search">${icon("i9743b5a9ae")}${icon("i124c18153a")}</label>` +
      '<nav class="md-search__options" aria-label="Search">' +
      '<button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" ' +
      `tabindex="-1">${icon("if236905ebf")}</button></nav></form>` +
      '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" ' +
      'data-md-scrollfix><div class="md-search-result" data-md-component="search-result">' +
      '<div class="md-search-result__meta">Initializing search</div>' +
      '<ol class="md-search-result__list" role="presentation"></ol></div></div></div></div></div>')
  }

  // The tabs, whose bar overrides/main.html leaves empty on a paper page: mkdocs.yml's
  // nav (one level) as the theme writes it on every other page, no tab active (a paper is
  // in none; a browser test compares the two).
  const NAV = [
    ["Home", ""], ["A–Z", "a-z/"], ["Tags", "tags/"], ["Search", "find/"],
    ["Listings", "listings/"], ["Stats", "stats/"], ["Map", "map/"],
    ["Reading list", "reading-list/"], ["About", "about/"],
  ]
  const tabs = document.querySelector("nav.md-tabs")
  if (tabs && !tabs.firstElementChild) {
    tabs.innerHTML = '<div class="md-grid"><ul class="md-tabs__list">' + NAV.map(([label, path]) =>
      `<li class="md-tabs__item"><a href="${root}${path}" class="md-tabs__link">${label}</a></li>`
    ).join("") + "</ul></div>"
  }

  // The header's parts overrides/partials/header.html leaves empty on a paper page: the
  // title it shows once the reader has scrolled past the page's own (the paper's title,
  // as citation_title says it), and the repository's link a wide screen shows, to the
  // address the footer links as the source (overrides/partials/copyright.html).
  const title = document.querySelector('meta[name="citation_title"]')
  const topic = document.querySelector("[data-md-component='header-topic'] .md-ellipsis")
  if (topic && title && !topic.textContent) topic.textContent = title.content
  const place = document.querySelector(".md-header__source")
  const repository = document.querySelector(".pc-footer a.pc-repo")
  if (place && repository && !place.firstElementChild) {
    const link = document.createElement("a")
    link.href = repository.getAttribute("href")
    link.title = "Go to repository"
    link.className = "md-source"
    link.innerHTML = '<div class="md-source__icon md-icon"><svg viewBox="0 0 448 512">' +
      `<use href="${root}assets/icons.svg#i59bdaa5f54"></use></svg></div>` +
      '<div class="md-source__repository">GitHub</div>'
    place.append(link)
  }

  // Material's sidebar, which its bundle mounts the drawer on: empty and hidden on a wide
  // screen, off the screen's edge on a phone until opened, so made here (overrides/main.html
  // leaves it out of a paper page).
  const main = document.querySelector(".md-main__inner")
  if (main && !main.querySelector(".md-sidebar--primary")) {
    main.insertAdjacentHTML("afterbegin", '<div class="md-sidebar md-sidebar--primary" ' +
      'data-md-component="sidebar" data-md-type="navigation" hidden>' +
      '<div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner"></div></div></div>')
  }

  // The drawer: Material's navigation as every other page has it (partials/nav.html),
  // its entries the tabs' (the whole navigation, one level), its title the header's
  // logo and the repository's link the header's.
  const inner = document.querySelector(".md-sidebar--primary .md-sidebar__inner")
  const logo = document.querySelector(".md-header__button.md-logo")
  if (inner && logo && !inner.firstElementChild) {
    const nav = document.createElement("nav")
    nav.className = "md-nav md-nav--primary md-nav--lifted"
    nav.setAttribute("aria-label", "Navigation")
    nav.dataset.mdLevel = "0"
    const title = document.createElement("label")
    title.className = "md-nav__title"
    title.htmlFor = "__drawer"
    const home = logo.cloneNode(true)
    home.className = "md-nav__button md-logo"
    title.append(home, logo.title)
    nav.append(title)
    const source = document.querySelector(".md-header__source .md-source")
    if (source) {
      const box = document.createElement("div")
      box.className = "md-nav__source"
      box.append(source.cloneNode(true))
      nav.append(box)
    }
    const list = document.createElement("ul")
    list.className = "md-nav__list"
    list.dataset.mdScrollfix = ""
    for (const tab of document.querySelectorAll(".md-tabs__link")) {
      const item = document.createElement("li")
      item.className = "md-nav__item"
      const link = document.createElement("a")
      link.href = tab.getAttribute("href")
      link.className = "md-nav__link"
      const text = document.createElement("span")
      text.className = "md-ellipsis"
      text.textContent = tab.textContent.trim()
      link.append(text)
      item.append(link)
      list.append(item)
    }
    nav.append(list)
    inner.append(nav)
  }

  // The byline's authors, each a link to the Search page asking for the name (as the
  // page itself linked them before, at 376 bytes of every realistic paper page). The names
  // are the head's citation_author tags (generator/render/head_meta.py), in the byline's
  // order; the byline is linked only when its text is exactly those names, so a name
  // with a comma in it is never cut in two.
  const authors = document.querySelector(".pc-paper-byline .pc-authors")
  const names = [...document.querySelectorAll('meta[name="citation_author"]')].map(m => m.content)
  if (authors && names.length && authors.textContent === names.join(", ")) {
    authors.replaceChildren(...names.flatMap((name, i) => {
      const link = document.createElement("a")
      link.href = `${root}find/?query=${encodeURIComponent(name)}`
      link.textContent = name
      return i ? [", ", link] : [link]
    }))
  }

  // "Suggest an edit" for a paper with no curation file yet: the page links the new
  // file by name; its text is CURATION_TEMPLATE of generator/render/edit_links.py with
  // the paper's title (a unit test holds the two the same), as GitHub's `value`.
  const edit = document.querySelector("a.pc-edit")
  if (edit && title && edit.pathname.includes("/new/")) {
    const url = new URL(edit.href)
    const named = CURATION_TEMPLATE.replace("{title}", () => title.content.replaceAll('"', "'"))
    url.searchParams.set("value", named)
    edit.href = url.href
  }
})()
