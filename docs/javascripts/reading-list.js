/*
 * A reading list kept in the reader's browser (localStorage): no account, no server.
 *
 * - Every element with data-paper-id (a paper card, the paper page's own slot) gets a
 *   "Save" toggle: a real <button> with aria-pressed, its change announced in a status
 *   region. Cards added later (the Search page draws its results from script) get one
 *   as they appear (a MutationObserver).
 * - A saved paper keeps its id, title, address and BibTeX entry: the entry the paper's
 *   own page shows (generator/analyse/citations.py writes it), read from that page when
 *   the paper is saved there, fetched from it once otherwise. So the list, and its
 *   export, work offline once saved.
 * - The reading list page (#pc-reading-list) lists the saved papers, each removable,
 *   and downloads them as BibTeX and as JSON.
 */
(function () {
  "use strict"

  const KEY = "pc-reading-list"
  const ATTRIBUTE = "data-paper-id"

  /* ---- the list, in localStorage ---- */

  const read = () => {
    try {
      const list = JSON.parse(localStorage.getItem(KEY) || "[]")
      return Array.isArray(list) ? list.filter(p => p && typeof p.id === "string") : []
    } catch (error) {
      return [] /* storage off (a private window's setting) or not ours: an empty list */
    }
  }
  const write = list => {
    try {
      localStorage.setItem(KEY, JSON.stringify(list))
      return true
    } catch (error) {
      return false
    }
  }
  const saved = id => read().some(p => p.id === id)
  const update = (id, change) => {
    const list = read()
    const at = list.findIndex(p => p.id === id)
    if (at >= 0) Object.assign(list[at], change)
    return at >= 0 && write(list)
  }

  /* ---- where a paper's page is, and what it says ---- */

  const base = (() => {
    const config = document.getElementById("__config")
    try {
      return new URL((config ? JSON.parse(config.textContent).base : ".") + "/", location.href)
    } catch (error) {
      return new URL("./", location.href)
    }
  })()

  /* The paper's page: the element's own link to it, else the site's rule (papers/<id>/). */
  const pageOf = (element, id) => {
    if (element.classList.contains("pc-save-slot")) return location.href.split("#")[0].split("?")[0]
    const path = `/papers/${encodeURIComponent(id)}/`
    for (const link of element.querySelectorAll("a[href]"))
      if (link.pathname.endsWith(path) || link.pathname.endsWith(`/papers/${id}.html`))
        return link.href.split("#")[0]
    return new URL(`papers/${encodeURIComponent(id)}/`, base).href
  }

  const titleOf = (element, url) => {
    if (element.classList.contains("pc-save-slot")) {
      const heading = document.querySelector("article h1")
      return heading ? heading.textContent.replace(/¶$/, "").trim() : document.title
    }
    for (const link of element.querySelectorAll("a[href]"))
      if (link.href.split("#")[0] === url) return link.textContent.trim()
    const heading = element.querySelector("h1, h2, h3, h4")
    return heading ? heading.textContent.trim() : url
  }

  /* The BibTeX entry a paper's page shows (its "Cite" block), fetched from that page. */
  const fetchEntry = async url => {
    const response = await fetch(url)
    if (!response.ok) throw new Error(`${url}: ${response.status}`)
    const page = new DOMParser().parseFromString(await response.text(), "text/html")
    const entry = page.getElementById("pc-bibtex")
    if (!entry) throw new Error(`${url}: no BibTeX on the page`)
    return entry.textContent
  }

  /* ---- announcing ---- */

  /* In the page from the start: a live region added with its message is not read. */
  const status = document.createElement("div")
  status.className = "pc-rl-status"
  status.setAttribute("role", "status")
  document.body.appendChild(status)
  const announce = message => {
    status.textContent = message
  }
  const count = n => `${n} paper${n === 1 ? "" : "s"}`

  /* ---- the toggles ---- */

  const show = button => {
    button.setAttribute("aria-pressed", String(saved(button.dataset.saves)))
  }
  const showAll = () => {
    for (const button of document.querySelectorAll("button.pc-save")) show(button)
  }

  const toggle = button => {
    const id = button.dataset.saves
    const element = button.closest(`[${ATTRIBUTE}]`)
    const list = read()
    const at = list.findIndex(p => p.id === id)
    if (at >= 0) {
      list.splice(at, 1)
      if (!write(list)) return announce("Your browser does not let this site keep a list.")
      announce(`Removed from your reading list (${count(list.length)}).`)
    } else {
      const url = pageOf(element, id)
      const paper = { id, title: titleOf(element, url), url, saved: new Date().toISOString() }
      const here = element.classList.contains("pc-save-slot") && document.getElementById("pc-bibtex")
      if (here) paper.bibtex = here.textContent
      list.push(paper)
      if (!write(list)) return announce("Your browser does not let this site keep a list.")
      announce(`Saved to your reading list (${count(list.length)}).`)
      if (!paper.bibtex) fetchEntry(url).then(bibtex => update(id, { bibtex })).catch(() => {})
    }
    showAll()
  }

  const addToggle = element => {
    const id = element.getAttribute(ATTRIBUTE)
    if (!id || element.querySelector(":scope > .pc-save-line, :scope > button.pc-save")) return
    const button = document.createElement("button")
    button.type = "button"
    button.className = "pc-save"
    button.dataset.saves = id
    button.textContent = "Save"
    show(button)
    if (element.classList.contains("pc-save-slot")) {
      element.appendChild(button)
    } else {
      const line = document.createElement("p")
      line.className = "pc-save-line"
      line.appendChild(button)
      element.appendChild(line)
    }
  }

  const addToggles = root => {
    if (root.nodeType !== Node.ELEMENT_NODE) return
    if (root.hasAttribute(ATTRIBUTE)) addToggle(root)
    for (const element of root.querySelectorAll(`[${ATTRIBUTE}]`)) addToggle(element)
  }

  document.addEventListener("click", event => {
    const button = event.target.closest && event.target.closest("button.pc-save")
    if (button) toggle(button)
  })
  /* Another tab saved or removed a paper: this one's toggles and list follow. */
  window.addEventListener("storage", event => {
    if (event.key !== KEY && event.key !== null) return
    showAll()
    if (page) drawList()
  })

  /* ---- the reading list page ---- */

  const page = document.getElementById("pc-reading-list")

  const download = (name, type, text) => {
    const link = document.createElement("a")
    link.href = URL.createObjectURL(new Blob([text], { type }))
    link.download = name
    document.body.appendChild(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(link.href), 0)
  }

  /* Every saved paper's entry: kept ones as they are, missing ones fetched (and kept). */
  const entries = async () => {
    const list = read()
    let missing = 0
    for (const paper of list) {
      if (paper.bibtex) continue
      try {
        paper.bibtex = await fetchEntry(paper.url)
        update(paper.id, { bibtex: paper.bibtex })
      } catch (error) {
        missing += 1
      }
    }
    return { list, missing }
  }

  const exportBibtex = async () => {
    const { list, missing } = await entries()
    const text = list.filter(p => p.bibtex).map(p => p.bibtex.trim() + "\n").join("\n")
    download("reading-list.bib", "application/x-bibtex", text)
    announce(
      missing
        ? `Downloaded ${count(list.length - missing)}; ${count(missing)} could not be reached (offline?).`
        : `Downloaded ${count(list.length)} as BibTeX.`
    )
  }

  const exportJson = () => {
    const list = read().map(({ id, title, url, saved }) => ({ id, title, url, saved }))
    download(
      "reading-list.json",
      "application/json",
      JSON.stringify({ papers: list }, null, 2) + "\n"
    )
    announce(`Downloaded ${count(list.length)} as JSON.`)
  }

  const drawList = () => {
    const list = read()
    const summary = page.querySelector(".pc-rl-summary")
    const items = page.querySelector(".pc-rl-papers")
    summary.textContent = list.length
      ? `${count(list.length)} saved in this browser.`
      : "No paper saved yet: press “Save” on a paper's page or card, and it is kept here."
    items.replaceChildren(
      ...list.map(paper => {
        const item = document.createElement("li")
        item.dataset.saved = paper.id /* not data-paper-id: no "Save" toggle in the list */
        const link = document.createElement("a")
        link.href = paper.url
        link.textContent = paper.title
        const remove = document.createElement("button")
        remove.type = "button"
        remove.className = "pc-rl-remove"
        remove.textContent = "Remove"
        remove.setAttribute("aria-label", `Remove ${paper.title}`)
        remove.addEventListener("click", () => {
          write(read().filter(p => p.id !== paper.id))
          announce(`Removed from your reading list (${count(read().length)}).`)
          drawList()
          page.querySelector(".pc-rl-summary").focus()
        })
        item.append(link, " ", remove)
        return item
      })
    )
    for (const button of page.querySelectorAll(".pc-rl-export button")) button.disabled = !list.length
  }

  if (page) {
    page.replaceChildren()
    const summary = document.createElement("p")
    summary.className = "pc-rl-summary"
    summary.tabIndex = -1
    const items = document.createElement("ol")
    items.className = "pc-rl-papers"
    const actions = document.createElement("p")
    actions.className = "pc-rl-export"
    const bib = document.createElement("button")
    bib.type = "button"
    bib.className = "pc-rl-action"
    bib.textContent = "Download BibTeX"
    bib.addEventListener("click", exportBibtex)
    const json = document.createElement("button")
    json.type = "button"
    json.className = "pc-rl-action"
    json.textContent = "Download JSON"
    json.addEventListener("click", exportJson)
    actions.append(bib, " ", json)
    page.append(summary, items, actions)
    drawList()
  }

  /* ---- toggles for what is on the page, and for what comes later ---- */

  addToggles(document.body)
  new MutationObserver(records => {
    for (const record of records) for (const node of record.addedNodes) addToggles(node)
  }).observe(document.body, { childList: true, subtree: true })
})()
