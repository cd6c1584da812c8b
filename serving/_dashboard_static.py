"""CSS and JavaScript inlined into the dashboard page.

Kept as Python strings (not .css/.js files) so they ship with the package without package-data config.
The JS is plain ES2017, no library: it reads the embedded JSON, draws SVG, and sets
`document.body.dataset.rendered = "true"` once every chart is drawn (tests and screenshots wait for it).
"""

CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); }
header, main, footer { max-width: 1340px; margin: 0 auto; padding: 0 20px; }
header h1 { margin: 20px 0 4px; font-size: 24px; }
.meta, .note, footer { color: var(--muted); }
.note { margin: 0 0 8px; font-size: 13px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
section h2 { font-size: 17px; margin: 0 0 6px; }
section h3 { font-size: 14px; margin: 8px 0 4px; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; margin: 4px 0; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
.pair section { margin: 0; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }  /* viewBox keeps the drawing's proportions when narrowed */
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--ink); }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .cell-label { font-weight: 600; pointer-events: none; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); }
td.num, th.num { text-align: right; }
th { background: #eef1f4; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid #3b82f6; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.kept-note { margin-top: 3px; padding: 2px 6px; border-left: 3px solid #c62f2f; background: #fdf0ef;
             font-size: 12px; color: #5c1a1a; }
.kept { margin: 8px 0 0; padding: 6px 10px; border-left: 4px solid #c62f2f; background: #fdf0ef; color: #5c1a1a; }
.chip { display: inline-block; white-space: nowrap; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; }
footer { font-size: 12px; padding-bottom: 24px; }
"""

JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var RATINGS = data.scale.ratings;  // best first, from the rating_scale seed
  var COLOUR = {"Outstanding": "#1a7f37", "Good": "#74b566", "Requires improvement": "#f0a030", "Inadequate": "#c62f2f"};
  var INK = {"Outstanding": "#fff", "Good": "#10300f", "Requires improvement": "#3d2600", "Inadequate": "#fff"};
  var SHORT = {"Outstanding": "O", "Good": "G", "Requires improvement": "RI", "Inadequate": "I"};
  var BANDS = data.scale.bands;  // [from, below, rating], lowest first

  function svgEl(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function label(parent, x, y, str, attrs) {
    var node = svgEl("text", Object.assign({x: x, y: y}, attrs || {}), parent);
    node.textContent = str;  // textContent, never innerHTML: report text is data, not markup
    return node;
  }
  function tip(node, str) { svgEl("title", {}, node).textContent = str; }
  function svgIn(host, width, height) {
    return svgEl("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img"}, host);
  }
  function chartHost(name) { return document.querySelector('[data-chart="' + name + '"]'); }
  function codeKey(code) { return code.split(".").map(function (p) { return ("000" + p).slice(-3); }).join("."); }
  function byCode(a, b) { return codeKey(a) < codeKey(b) ? -1 : codeKey(a) > codeKey(b) ? 1 : 0; }
  function inspectionLabel(i) { return i.pdu_name + " (" + i.published + ")"; }

  var inspectionsById = {};
  data.inspections.forEach(function (i) { inspectionsById[i.inspection_id] = i; });

  function legend(svg, x, y) {
    RATINGS.forEach(function (r, k) {
      var gx = x + k * 230;
      svgEl("rect", {x: gx, y: y, width: 16, height: 16, rx: 3, fill: COLOUR[r], "class": "legend-swatch"}, svg);
      label(svg, gx + 22, y + 12, r + " (" + SHORT[r] + ")");
    });
  }

  function keyLabel(key) {
    var text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function heatmap(host) {
    // Columns are harmonised standards (standard_key), so one column never mixes two frameworks' meanings.
    var keys = data.standard_keys.map(function (k) { return k.standard_key; });
    var cell = {w: 62, h: 30}, left = 300, top = 120;
    var rows = data.inspections;
    var svg = svgIn(host, Math.max(left + keys.length * cell.w + 60, 800), top + rows.length * cell.h + 44);
    var codes = {};
    data.ratings.forEach(function (r) {
      var list = codes[r.standard_key] = codes[r.standard_key] || [];
      var code = r.framework + " " + r.standard_code + " " + r.standard_name;
      if (list.indexOf(code) < 0) { list.push(code); }
    });
    keys.forEach(function (k, j) {
      var x = left + j * cell.w + cell.w / 2;
      var t = label(svg, x, top - 10, keyLabel(k), {"font-weight": 600, "class": "column-label",
        transform: "rotate(-35 " + x + " " + (top - 10) + ")"});
      tip(t, keyLabel(k) + ": " + (codes[k] || []).sort().join(" / "));
    });
    var ratingsByKey = {};
    data.ratings.forEach(function (r) { ratingsByKey[r.inspection_id + "|" + r.standard_key] = r; });
    rows.forEach(function (insp, i) {
      var y = top + i * cell.h;
      label(svg, left - 10, y + cell.h / 2 + 4, inspectionLabel(insp), {"text-anchor": "end"});
      keys.forEach(function (k, j) {
        var x = left + j * cell.w, r = ratingsByKey[insp.inspection_id + "|" + k];
        if (!r) {
          svgEl("rect", {x: x + 2, y: y + 2, width: cell.w - 4, height: cell.h - 4, fill: "#f0f2f4", "class": "na"}, svg);
          return;
        }
        var rect = svgEl("rect", {x: x + 2, y: y + 2, width: cell.w - 4, height: cell.h - 4, rx: 3,
          fill: COLOUR[r.rating] || "#999", "class": "cell", "data-rating": r.rating, "data-key": k}, svg);
        var detail = inspectionLabel(insp) + "\n" + keyLabel(k) + " (" + r.framework + " " + r.standard_code + " " +
          r.standard_name + "): " + r.rating;
        if (r.lowest_pct_yes !== null) { detail += "\nlowest key question " + r.lowest_pct_yes + "% (band: " + r.band_rating + ")"; }
        if (r.discretion_applied) { detail += "\ninspectors' discretion applied"; }
        tip(rect, detail);
        label(svg, x + cell.w / 2, y + cell.h / 2 + 4, SHORT[r.rating] || "?",
          {"text-anchor": "middle", "class": "cell-label", fill: INK[r.rating] || "#000"});
        if (r.discretion_applied) {
          svgEl("circle", {cx: x + cell.w - 9, cy: y + 9, r: 3.5, fill: "#fff", stroke: "#000", "class": "discretion"}, svg);
        }
      });
    });
    legend(svg, 20, top + rows.length * cell.h + 18);
  }

  function empty(host, text) {
    var p = document.createElement("p");
    p.className = "empty"; p.textContent = text; host.appendChild(p);
  }

  function pctBars(host, items, labelOf) {
    // Horizontal bars to each item's median percentage over the rating bands; whiskers from low to high.
    if (!items.length) { empty(host, "no keeping-safe percentages"); return; }
    var left = 230, plotW = 360, rowH = 24, top = 22;
    var svg = svgIn(host, left + plotW + 50, top + items.length * rowH + 26);
    var x = function (p) { return left + (p / 100) * plotW; };
    var bottom = top + items.length * rowH;
    BANDS.forEach(function (b) {
      svgEl("rect", {x: x(b[0]), y: top, width: x(b[1]) - x(b[0]), height: bottom - top, fill: COLOUR[b[2]],
        "fill-opacity": 0.14, "class": "band"}, svg);
    });
    [0, 50, 65, 80, 100].forEach(function (t) { label(svg, x(t), bottom + 16, t + "%", {"text-anchor": "middle"}); });
    items.forEach(function (d, k) {
      var y = top + k * rowH;
      label(svg, left - 8, y + rowH / 2 + 4, labelOf(d), {"text-anchor": "end"});
      var bar = svgEl("rect", {x: left, y: y + 5, width: Math.max(1, x(d.median) - left), height: rowH - 10, rx: 2,
        fill: "#3b6ea5", "class": "safe-bar"}, svg);
      tip(bar, labelOf(d) + ": median " + Number(d.median).toFixed(1) + "%" +
        " (lowest " + d.low + "%, highest " + d.high + "%), " + d.n + " key-question percentages");
      if (d.low !== d.high) {
        var mid = y + rowH / 2;
        svgEl("path", {d: "M" + x(d.low) + "," + (mid - 4) + "V" + (mid + 4) + "M" + x(d.low) + "," + mid + "H" +
          x(d.high) + "M" + x(d.high) + "," + (mid - 4) + "V" + (mid + 4), fill: "none", stroke: "#1f2933",
          "stroke-width": 1.5, "class": "whisker", "data-low": d.low, "data-high": d.high}, svg);
      }
      label(svg, x(100) + 6, y + rowH / 2 + 4, Number(d.median).toFixed(0) + "%");
    });
  }

  function safeCharts() {
    var order = data.standard_keys.map(function (k) { return k.standard_key; });
    var byStandard = data.safe_by_standard.slice().sort(function (a, b) {
      return order.indexOf(a.label) - order.indexOf(b.label);
    });
    pctBars(chartHost("safe-standard"), byStandard, function (d) { return keyLabel(d.label); });
    pctBars(chartHost("safe-region"), data.safe_by_region, function (d) { return d.label === null ? "(unknown)" : d.label; });
    pctBars(chartHost("safe-pdu"), data.safe_by_pdu, function (d) { return d.label; });
  }

  function trend(host) {
    // Stacked columns of overall-rating shares per publication quarter, and the keeping-safe median as a line.
    var quarters = data.trend;
    if (!quarters.length) { empty(host, "no inspections"); return; }
    var left = 60, top = 20, plotH = 240, colW = Math.max(26, Math.min(70, 900 / quarters.length));
    var svg = svgIn(host, Math.max(left + quarters.length * colW + 40, 960), top + plotH + 110);
    var y = function (p) { return top + plotH - (p / 100) * plotH; };
    [0, 25, 50, 75, 100].forEach(function (t) {
      svgEl("line", {x1: left, x2: left + quarters.length * colW, y1: y(t), y2: y(t), stroke: "#e4e7eb"}, svg);
      label(svg, left - 8, y(t) + 4, t + "%", {"text-anchor": "end"});
    });
    var points = [];
    quarters.forEach(function (q, k) {
      var x = left + k * colW, base = 0;
      RATINGS.slice().reverse().forEach(function (r) {  // worst at the bottom
        var n = q["n_" + r.toLowerCase().replace(/ /g, "_")], share = 100 * n / q.inspections;
        if (!n) { return; }
        var seg = svgEl("rect", {x: x + 3, y: y(base + share), width: colW - 6, height: y(base) - y(base + share),
          fill: COLOUR[r], "class": "trend-segment", "data-rating": r}, svg);
        tip(seg, q.quarter_label + ": " + n + " of " + q.inspections + " " + r);
        base += share;
      });
      label(svg, x + colW / 2, y(100) - 4, String(q.inspections), {"text-anchor": "middle", "font-size": 11});
      label(svg, x + colW / 2, top + plotH + 14, q.quarter_label, {"text-anchor": "end", "class": "quarter-label",
        transform: "rotate(-45 " + (x + colW / 2) + " " + (top + plotH + 14) + ")"});
      if (q.median_keeping_safe_pct !== null) { points.push([x + colW / 2, y(q.median_keeping_safe_pct), q]); }
    });
    if (points.length > 1) {
      svgEl("polyline", {points: points.map(function (p) { return p[0] + "," + p[1]; }).join(" "), fill: "none",
        stroke: "#1f2933", "stroke-width": 2, "class": "trend-line"}, svg);
    }
    points.forEach(function (p) {
      var dot = svgEl("circle", {cx: p[0], cy: p[1], r: 4, fill: "#fff", stroke: "#1f2933", "stroke-width": 2,
        "class": "trend-point"}, svg);
      tip(dot, p[2].quarter_label + ": median keeping-safe " + Number(p[2].median_keeping_safe_pct).toFixed(1) + "%");
    });
    legend(svg, 20, top + plotH + 86);
  }

  function reinspections(host) {
    var rows = data.reinspections;
    if (!rows.length) {
      empty(host, "No PDU has been inspected more than once in the marts yet.");
      return;
    }
    var left = 330, plotW = 420, rowH = 28, top = 10, right = 330;
    var svg = svgIn(host, left + plotW + right, top + rows.length * rowH + 30);
    var x = function (p) { return left + (p / 100) * plotW; };
    var bottom = top + rows.length * rowH;
    [0, 25, 50, 75, 100].forEach(function (t) {
      svgEl("line", {x1: x(t), x2: x(t), y1: top, y2: bottom, stroke: "#e4e7eb"}, svg);
      label(svg, x(t), bottom + 16, t + "%", {"text-anchor": "middle"});
    });
    var colour = {up: "#1a7f37", down: "#c62f2f", same: "#616e7c"};
    rows.forEach(function (r, k) {
      var y = top + k * rowH + rowH / 2;
      label(svg, left - 10, y + 4, r.pdu_name + " (" + r.previous_published + " \u2192 " + r.published + ")",
        {"text-anchor": "end"});
      var c = colour[r.overall_rating_change] || "#616e7c";
      svgEl("line", {x1: x(r.previous_score_pct), x2: x(r.score_pct), y1: y, y2: y, stroke: c, "stroke-width": 3}, svg);
      svgEl("circle", {cx: x(r.previous_score_pct), cy: y, r: 5, fill: "#fff", stroke: c, "stroke-width": 2}, svg);
      var dot = svgEl("circle", {cx: x(r.score_pct), cy: y, r: 5, fill: c, "class": "reinspection",
        "data-change": r.overall_rating_change}, svg);
      tip(dot, r.pdu_name + ": " + Number(r.previous_score_pct).toFixed(1) + "% \u2192 " +
        Number(r.score_pct).toFixed(1) + "% of the maximum score");
      label(svg, left + plotW + 14, y + 4, SHORT[r.previous_overall_rating] + " \u2192 " + SHORT[r.overall_rating] +
        "   standards \u2191" + r.n_standards_up + " \u2193" + r.n_standards_down + " =" + r.n_standards_same);
    });
  }

  // Key-question marks: 1% is wider than a mark, so different percentages never overlap, and equal ones stack
  // vertically, so none hides another; past MAX_STACK a stack ends in a "+n" label.
  var DOT_R = 4, DOT_STEP = 10, MAX_STACK = 12;

  function scoreGroups() {
    // One row per harmonised standard (standard_key), so 2023's 2.2 and 2024's 2.1 Assessment share a row; a
    // standard missing from the standard_keys seed keeps a row of its own rather than joining another's.
    var rated = data.standard_keys.map(function (k) { return k.standard_key; });
    var groups = [], index = {};
    data.scores.forEach(function (s) {
      var key = s.standard_key !== null ? s.standard_key : s.framework + " " + s.standard_code + " " + s.standard_name;
      if (!(key in index)) {
        index[key] = groups.length;
        groups.push({key: key, name: s.standard_key !== null ? keyLabel(s.standard_key) : key, codes: [],
          unrated: true, points: []});
      }
      var g = groups[index[key]], code = s.framework + " " + s.standard_code;
      if (g.codes.indexOf(code) < 0) { g.codes.push(code); }
      g.unrated = g.unrated && !s.is_rated_standard;
      g.points.push(s);
    });
    function rank(g) { var k = rated.indexOf(g.key); return k < 0 ? rated.length : k; }  // unrated and unkeyed last
    groups.sort(function (a, b) { return rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0); });
    groups.forEach(function (g) { g.codes.sort(); });
    return groups;
  }

  function scoreMark(svg, s, cx, cy) {
    // Filled: the lowest question of a rated standard (it sets the band); hollow: another question of a rated
    // standard; grey diamond: a question of a standard that is not rated (Outcomes), whatever its value.
    var kind = !s.is_rated_standard ? "unrated" : s.is_lowest ? "lowest" : "other";
    if (kind === "unrated") {
      var h = DOT_R + 0.5;  // a diamond of the dot's width
      return svgEl("path", {d: "M0," + -h + "L" + h + ",0L0," + h + "L" + -h + ",0Z",
        transform: "translate(" + cx + " " + cy + ")", fill: "#fff", stroke: "#616e7c",
        "stroke-width": 1.5, "class": "point", "data-kind": kind}, svg);
    }
    return svgEl("circle", {cx: cx, cy: cy, r: DOT_R, fill: kind === "lowest" ? "#1f2933" : "#fff",
      stroke: "#1f2933", "stroke-width": 1.5, "class": "point", "data-kind": kind}, svg);
  }

  function bands(host) {
    var groups = scoreGroups();
    var order = {};
    data.inspections.forEach(function (i, k) { order[i.inspection_id] = k; });
    groups.forEach(function (g) {
      var stacks = {};
      g.points.forEach(function (s) { (stacks[s.pct_yes] = stacks[s.pct_yes] || []).push(s); });
      g.stacks = Object.keys(stacks).map(function (p) {
        return stacks[p].sort(function (a, b) {
          return (order[a.inspection_id] - order[b.inspection_id]) || (a.question_number - b.question_number);
        });
      });
      var tallest = Math.min(MAX_STACK, Math.max.apply(null, g.stacks.map(function (st) { return st.length; })));
      g.height = Math.max(38, 2 * Math.floor(tallest / 2) * DOT_STEP + 2 * DOT_R + 16);
    });
    var left = 270, plotW = 960, top = 34;
    var bottom = top + groups.reduce(function (h, g) { return h + g.height; }, 0);
    var svg = svgIn(host, left + plotW + 30, bottom + 64);
    var x = function (p) { return left + (p / 100) * plotW; };
    BANDS.forEach(function (b) {
      svgEl("rect", {x: x(b[0]), y: top, width: x(b[1]) - x(b[0]), height: bottom - top, fill: COLOUR[b[2]],
        "fill-opacity": 0.16, "class": "band", "data-band": b[2]}, svg);
      label(svg, (x(b[0]) + x(b[1])) / 2, top - 10, b[2], {"text-anchor": "middle", fill: COLOUR[b[2]], "font-weight": 600});
    });
    svgEl("line", {x1: left, x2: left + plotW, y1: bottom, y2: bottom, "class": "axis"}, svg);
    [0, 25, 50, 65, 80, 100].forEach(function (t) {
      svgEl("line", {x1: x(t), x2: x(t), y1: bottom, y2: bottom + 5, "class": "axis"}, svg);
      label(svg, x(t), bottom + 18, t + "%", {"text-anchor": "middle"});
    });
    var y0 = top;
    groups.forEach(function (g) {
      var y = y0 + g.height / 2;
      y0 += g.height;
      svgEl("line", {x1: left, x2: left + plotW, y1: y0, y2: y0, stroke: "#fff", "stroke-width": 1}, svg);
      label(svg, left - 10, y, g.name + (g.unrated ? " (not rated)" : ""),
        {"text-anchor": "end", "class": "group-label", "font-weight": 600});
      label(svg, left - 10, y + 14, g.codes.join(", "), {"text-anchor": "end", fill: "#616e7c", "font-size": 11});
      g.stacks.forEach(function (stack) {
        stack.forEach(function (s, i) {
          var dy = Math.ceil(i / 2) * DOT_STEP * (i % 2 ? -1 : 1);  // 0, -1, +1, -2, ... steps from the row's centre
          if (i === MAX_STACK - 1 && stack.length > MAX_STACK) {
            var more = label(svg, x(s.pct_yes), y + dy + 3, "+" + (stack.length - i),
              {"text-anchor": "middle", "font-size": 9, "class": "stack-more"});
            tip(more, stack.slice(i).map(function (t) { return t.pdu_name + " " + t.standard_code + " Q" + t.question_number; }).join("\n"));
            return;
          }
          if (i >= MAX_STACK) { return; }
          var mark = scoreMark(svg, s, x(s.pct_yes), y + dy);
          tip(mark, s.pdu_name + " (" + (inspectionsById[s.inspection_id] || {}).published + "): " + s.framework + " " +
            s.standard_code + " " + s.standard_name + " Q" + s.question_number + " " + s.pct_yes + "%" +
            (!s.is_rated_standard ? " (standard not rated)" : s.is_lowest ? " (lowest: sets the band)" : "") +
            "\n" + s.question_text);
        });
      });
    });
    var keys = [["lowest", "lowest question of a rated standard (sets its band)"], ["other", "other question"],
                ["unrated", "question of a standard that is not rated (Outcomes)"]];
    keys.forEach(function (k, j) {
      var lx = left + [0, 360, 500][j], ly = bottom + 44;
      var mark = scoreMark(svg, {is_rated_standard: k[0] !== "unrated", is_lowest: k[0] === "lowest"}, lx, ly);
      mark.setAttribute("class", "legend-mark");
      label(svg, lx + 10, ly + 4, k[1]);
    });
  }

  function bars(host, items, colour) {
    var left = 300, barW = 300, rowH = 26, top = 8;
    var svg = svgIn(host, left + barW + 60, top + Math.max(items.length, 1) * rowH + 8);
    var max = Math.max.apply(null, items.map(function (d) { return d.value; }).concat([1]));
    items.forEach(function (d, k) {
      var y = top + k * rowH;
      label(svg, left - 8, y + rowH / 2 + 4, d.label === null ? "(none)" : d.label, {"text-anchor": "end"});
      var rect = svgEl("rect", {x: left, y: y + 4, width: Math.max(2, d.value / max * barW), height: rowH - 8,
        rx: 2, fill: colour, "class": "bar"}, svg);
      tip(rect, d.label + ": " + d.value);
      label(svg, left + d.value / max * barW + 6, y + rowH / 2 + 4, String(d.value));
    });
    if (!items.length) { label(svg, left, top + 16, "no recommendations"); }
  }

  var COLUMNS = [
    ["pdu_name", "PDU"], ["region", "Region"], ["published", "Published"], ["framework", "Framework"],
    ["overall_rating", "Overall rating"], ["score", "Score", true], ["score_pct", "Score %", true],
    ["n_standards_rated", "Standards rated", true], ["cases_inspected", "Cases", true],
    ["interviews", "Interviews", true], ["lead_inspector", "Lead inspector"]
  ];

  function sortValue(row, key) {
    if (key === "overall_rating") { return RATINGS.length - RATINGS.indexOf(row[key]); }  // worst first when ascending
    return row[key];
  }

  function keptSince(r) { return String(r.newer_file_rejected_at).slice(0, 16).replace("T", " "); }

  function keptNote(r) {
    // The marts keep this inspection's last good version: a newer version of its report file could not be read.
    var note = document.createElement("div");
    note.className = "kept-note";
    note.textContent = "kept last good version since " + keptSince(r) + ": " + (r.newer_file_rejected_reason || "");
    return note;
  }

  function keptSummary() {
    var kept = data.inspections.filter(function (i) { return i.newer_file_rejected_at; });
    if (!kept.length) { return; }
    var p = document.getElementById("kept");
    p.hidden = false;
    p.textContent = kept.length + (kept.length === 1 ? " inspection shows its" : " inspections show their") +
      " last good version, a newer report file could not be read: " +
      kept.map(function (i) { return inspectionLabel(i) + " since " + keptSince(i); }).join("; ") +
      " (reasons in the table of inspections).";
  }

  function table(host) {
    var tbl = document.createElement("table"), head = tbl.createTHead().insertRow(), body = tbl.createTBody();
    var rows = data.inspections.slice(), state = {key: null, dir: 1};
    function draw() {
      body.textContent = "";
      rows.forEach(function (r) {
        var tr = body.insertRow();
        COLUMNS.forEach(function (col) {
          var td = tr.insertCell(), v = r[col[0]];
          if (col[2]) { td.className = "num"; }
          if (col[0] === "overall_rating" && v) {
            var chip = document.createElement("span");
            chip.className = "chip"; chip.style.background = COLOUR[v] || "#999"; chip.style.color = INK[v] || "#fff";
            chip.textContent = v; td.appendChild(chip);
          } else if (col[0] === "pdu_name" && r.newer_file_rejected_at) {
            td.textContent = v;
            td.appendChild(keptNote(r));
          } else if (col[0] === "score" && v !== null) {
            td.textContent = v + "/" + r.max_score;
          } else if (col[0] === "score_pct" && v !== null) {
            td.textContent = Number(v).toFixed(1);
          } else {
            td.textContent = v === null || v === undefined ? "" : String(v);
          }
        });
      });
    }
    COLUMNS.forEach(function (col) {
      var th = document.createElement("th"), button = document.createElement("button");
      if (col[2]) { th.className = "num"; }
      button.type = "button"; button.textContent = col[1]; th.appendChild(button); th.dataset.key = col[0];
      button.addEventListener("click", function () {
        state.dir = state.key === col[0] ? -state.dir : 1; state.key = col[0];
        rows.sort(function (a, b) {
          var va = sortValue(a, col[0]), vb = sortValue(b, col[0]);
          if (va === vb) { return 0; }
          if (va === null || va === undefined) { return 1; }  // blanks last in both directions
          if (vb === null || vb === undefined) { return -1; }
          return (va < vb ? -1 : 1) * state.dir;
        });
        head.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
        draw();
      });
      head.appendChild(th);
    });
    draw();
    host.appendChild(tbl);
  }

  function summary() {
    var pdus = {};
    data.inspections.forEach(function (i) { pdus[i.pdu_name] = true; });
    var recs = data.recs_by_level.reduce(function (n, d) { return n + d.value; }, 0);
    document.getElementById("summary").textContent = data.inspections.length + " inspections, " +
      Object.keys(pdus).length + " PDUs, " + data.ratings.length + " ratings, " + recs + " recommendations";
  }

  summary();
  keptSummary();
  heatmap(chartHost("heatmap"));
  bands(chartHost("bands"));
  bars(chartHost("recs-level"), data.recs_by_level, "#3b6ea5");
  bars(chartHost("recs-pdu"), data.recs_by_pdu, "#6b5ca5");
  bars(chartHost("recs-theme"), data.recs_by_theme, "#a5683b");
  safeCharts();
  trend(chartHost("trend"));
  reinspections(chartHost("reinspections"));
  table(chartHost("table"));
  document.body.dataset.rendered = "true";
})();
"""
