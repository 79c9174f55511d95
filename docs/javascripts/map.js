/*
 * The map page (generator/render/atlas.py): the title of the point under the pointer
 * or the keyboard's focus, shown beside it. The map works without this — each point is
 * a link named by its <title>, which the browser shows on hover — but a <title> shows
 * late, and not at all for the keyboard's focus or on a touch screen.
 */
(function () {
  "use strict"

  const box = document.querySelector(".pc-map")
  const tip = box && box.querySelector(".pc-map-tip")
  if (!tip) return
  tip.setAttribute("aria-hidden", "true") /* the link's own name says it already */

  const show = link => {
    const title = link.querySelector("title")
    if (!title) return
    tip.textContent = title.textContent
    tip.hidden = false
    const point = link.getBoundingClientRect(), outer = box.getBoundingClientRect()
    const x = point.left - outer.left + box.scrollLeft + point.width / 2
    const y = point.top - outer.top + box.scrollTop
    /* above the point, kept inside the box */
    const left = Math.max(0, Math.min(x - tip.offsetWidth / 2, box.scrollWidth - tip.offsetWidth))
    tip.style.left = `${left}px`
    tip.style.top = `${Math.max(0, y - tip.offsetHeight - 6)}px`
  }
  const hide = () => { tip.hidden = true }
  const pointOf = event => event.target.closest && event.target.closest(".pc-map-svg a")

  box.addEventListener("mouseover", event => { const link = pointOf(event); if (link) show(link) })
  box.addEventListener("mouseout", event => { if (pointOf(event)) hide() })
  box.addEventListener("focusin", event => { const link = pointOf(event); if (link) show(link) })
  box.addEventListener("focusout", hide)
})()
