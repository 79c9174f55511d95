/*
 * The "Search and browse" page: a query plus filters (every ticked tag, a listing, a
 * year), answered by the same worker as the header search box, kept in the page's
 * address (?query=...&tag=...&tag=...&listing=...&year=...; not ?q=, which Material
 * takes for its own box) so a search can be bookmarked and shared. With no query it
 * browses the whole catalogue, A–Z; "Show more" reaches every paper.
 * Results are paper cards, the same markup as the paper_cards macro of
 * generator/render/templates/_macros.j2 (a browser test compares the two).
 * Keyboard: type, Tab to the filters; Down/Up move through the results.
 */
(function () {
  "use strict"
  const root = document.getElementById("pc-find")
  if (!root) return
  const query = root.querySelector("#pc-find-q")
  const listing = root.querySelector("#pc-find-listing")
  const year = root.querySelector("#pc-find-year") /* absent when no paper has a date */
  const boxes = [...root.querySelectorAll("input[type=checkbox][name=tag]")]
  const chosen = root.querySelector(".pc-find-chosen")
  const status = root.querySelector(".pc-find-status")
  const results = root.querySelector(".pc-find-results")
  const more = root.querySelector(".pc-find-more")
  const note = root.querySelector(".pc-find-note")
  const base = new URL(root.dataset.base, location.href)
  const worker = new Worker(new URL(root.dataset.worker, location.href))
  const PAGE = 50
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"]
  /* Readers' names of tags and listings, as the page's own filters say them */
  const tagLabels = new Map(boxes.map(box => [box.value, box.parentElement.textContent.trim()]))
  const listingLabels = new Map([...listing.options].map(o => [o.dataset.listing, o.textContent]))
  /* A listing is chosen by its page's slug (what the address shows); the index knows it
     by its dump's name, which older addresses carried and still restore */
  const listingNames = new Map([...listing.options].map(o => [o.value, o.dataset.listing || ""]))
  const slugOf = name => {
    const option = [...listing.options].find(o => o.value === name || o.dataset.listing === name)
    return option ? option.value : ""
  }
  let latest = 0
  let timer = 0

  /* Restore the search from the address */
  const params = new URLSearchParams(location.search)
  query.value = params.get("query") || ""
  const ticked = new Set(params.getAll("tag"))
  for (const box of boxes) box.checked = ticked.has(box.value)
  listing.value = slugOf(params.get("listing") || "")
  if (year) year.value = params.get("year") || ""
  if (ticked.size && chosen) chosen.closest("details").open = true

  const tags = () => boxes.filter(box => box.checked).map(box => box.value)

  /* aria-busy: true from a question to the rendering of its answer, so assistive
     technology (and the tests) can tell current results from stale ones.
     offset 0 starts a new list; more asks for the next PAGE of the same one. */
  function ask(offset) {
    latest += 1
    results.setAttribute("aria-busy", "true")
    worker.postMessage({
      type: "find", id: latest, query: query.value, tags: tags(),
      listing: listingNames.get(listing.value) || "", year: year ? year.value : "",
      limit: PAGE, offset: offset || 0
    })
    if (offset) return
    const url = new URL(location.href)
    for (const [key, field] of [["query", query], ["listing", listing], ["year", year]]) {
      if (field && field.value) url.searchParams.set(key, field.value)
      else url.searchParams.delete(key)
    }
    url.searchParams.delete("tag")
    for (const name of tags()) url.searchParams.append("tag", name)
    history.replaceState(null, "", url)
    if (chosen) chosen.textContent = tags().length ? `(${tags().length} ticked)` : ""
  }

  function element(name, attributes, html) {
    const el = document.createElement(name)
    for (const [key, value] of Object.entries(attributes || {})) el.setAttribute(key, value)
    if (html !== undefined) el.innerHTML = html /* worker output: escaped, with <mark> */
    return el
  }

  /* 2013-06-19 -> 19 June 2013, as generator/ingest/listing_meta.py's date_text */
  function dateText(iso) {
    const [y, m, d] = iso.split("-").map(Number)
    return d ? `${d} ${MONTHS[m - 1]} ${y}` : m ? `${MONTHS[m - 1]} ${y}` : String(y)
  }

  /* A paper card, as the paper_cards macro writes it */
  function card(item, vocabulary) {
    const listed = item.listings.length
    const article = element("article", {
      class: "pc-card",
      /* the page's address is papers/<id>/ (or papers/<id>.html) */
      "data-paper-id": item.url.replace(/(\/|\.html)$/, "").split("/").pop()
    })
    if (item.date) article.dataset.date = item.date
    if (listed > 1) article.dataset.listed = String(listed)
    const heading = element("h2")
    heading.append(element("a", { href: new URL(item.url, base).href }, item.title))
    article.append(heading)
    if (item.byline || item.date) {
      const byline = element("p", { class: "pc-byline" }, item.byline)
      if (item.date) byline.append(`${item.byline ? " · " : ""}${dateText(item.date)}`)
      article.append(byline)
    }
    article.append(element("p", { class: "pc-snippet" }, item.snippet))
    if (item.tags.length) {
      const chips = element("p", { class: "pc-tags" })
      for (const name of item.tags) {
        /* The tag page's URL as the build wrote it (search/urls.json), never re-spelled */
        const chip = element("a", { class: "pc-tag", href: new URL(vocabulary.tagUrls[name], base).href })
        chip.textContent = tagLabels.get(name) || name
        chips.append(chip, " ")
      }
      article.append(chips)
    }
    const from = element("p", { class: "pc-from" })
    from.append("In ")
    item.listings.forEach((name, i) => {
      const link = element("a", { href: new URL(vocabulary.listingUrls[name] || "", base).href })
      link.textContent = listingLabels.get(name) || name
      from.append(...(i ? [", ", link] : [link]))
    })
    article.append(from)
    return article
  }

  worker.addEventListener("message", ev => {
    const answer = ev.data
    if (answer.type !== "found" || answer.id !== latest) return
    const filtered = query.value.trim() || tags().length || listing.value || (year && year.value)
    const papers = n => `${n} ${n === 1 ? "paper" : "papers"}`
    const cards = answer.items.map(item => card(item, answer.vocabulary))
    if (answer.offset) results.append(...cards)
    else results.replaceChildren(...cards)
    const shown = results.children.length
    const showing = answer.total > shown ? ` Showing the first ${shown}.` : ""
    status.textContent = !filtered
      ? `${papers(answer.total)}, A–Z.${showing} Type to search, or pick tags, a listing or a year.`
      : answer.total === 0 ? "No paper matches."
      : (answer.all < answer.total
          ? `${papers(answer.all)} with every word, ${answer.total - answer.all} more with some.`
          : `${answer.total} ${answer.total === 1 ? "paper matches" : "papers match"}.`) + showing
    more.hidden = shown >= answer.total
    more.textContent = `Show ${Math.min(PAGE, answer.total - shown)} more of ${answer.total}`
    if (!answer.offset) {
      window.paperSearchNotes.show(note, answer.notes, query.value, again => {
        query.value = again
        query.focus()
        ask()
      })
    }
    results.setAttribute("aria-busy", "false")
  })

  query.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(ask, 60)
  })
  /* Enter in the box must not reload the page: the search answers as one types. (Here,
     not as an onsubmit attribute: the page's Content-Security-Policy runs no inline code.) */
  root.querySelector("form").addEventListener("submit", ev => ev.preventDefault())
  for (const field of [listing, year, ...boxes]) if (field) field.addEventListener("change", () => ask())
  more.addEventListener("click", () => {
    /* Focus goes to the first new result once it is there, so a keyboard reader reads on */
    const first = results.children.length
    const moved = new MutationObserver(() => {
      const link = results.children[first] && results.children[first].querySelector("a")
      if (link) { moved.disconnect(); link.focus() }
    })
    moved.observe(results, { childList: true })
    ask(first)
  })

  /* Down from the box or a result moves to the next result, Up to the previous */
  root.addEventListener("keydown", ev => {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return
    const links = [...results.querySelectorAll("h2 a")]
    if (!links.length) return
    const at = links.indexOf(document.activeElement)
    if (at === -1 && document.activeElement !== query) return
    ev.preventDefault()
    const next = ev.key === "ArrowDown" ? at + 1 : at - 1
    if (next < 0) query.focus()
    else links[Math.min(next, links.length - 1)].focus()
  })

  ask()
})()
