// 周边地图: schools, 护学岗, venues and traffic points on one SVG, projected in Web Mercator.
// With HUXIAO_MAP_TILE_URL set, the configured tiles ({z}/{x}/{y}) lie underneath; without it
// the map is a plain coordinate view (lat/lng grid, scale bar) that needs nothing but this file.
// No library, no CDN, no inline styles (CSP): positions are SVG attributes.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var TILE = 256;
  var EARTH = 40075016.686; // equator circumference, metres
  var MIN_Z = 3, MAX_Z = 19;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }

  // Web Mercator world pixels at zoom z
  function project(lat, lng, z) {
    var size = TILE * Math.pow(2, z);
    var s = Math.sin(lat * Math.PI / 180);
    s = Math.min(Math.max(s, -0.9999), 0.9999);
    return {
      x: (lng + 180) / 360 * size,
      y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size,
    };
  }
  function unproject(x, y, z) {
    var size = TILE * Math.pow(2, z);
    var lng = x / size * 360 - 180;
    var n = Math.PI - 2 * Math.PI * y / size;
    var lat = 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
    return { lat: lat, lng: lng };
  }
  function metresPerPixel(lat, z) {
    return EARTH * Math.cos(lat * Math.PI / 180) / (TILE * Math.pow(2, z));
  }
  function nice(value, steps) {
    for (var i = 0; i < steps.length; i++) if (steps[i] >= value) return steps[i];
    return steps[steps.length - 1];
  }

  function MapView(root, config) {
    this.root = root;
    this.config = config;
    this.tiles = !!config.tileUrl;
    this.features = config.features || [];
    this.radius = config.radius || 200;
    root.innerHTML = "";
    this.svg = el("svg", { class: "sur-svg", role: "application", "aria-label": "周边地图：拖动平移，按钮缩放" }, root);
    this.gTiles = el("g", { class: "sur-tiles" }, this.svg);
    this.gGrid = el("g", { class: "sur-grid" }, this.svg);
    this.gRadius = el("g", { class: "sur-radius layer-radius" }, this.svg);
    this.gLabels = el("g", { class: "sur-labels layer-school" }, this.svg); // under the markers
    this.gMarkers = el("g", { class: "sur-markers" }, this.svg);
    this.gScale = el("g", { class: "sur-scale" }, this.svg);
    this.buildControls();
    this.buildPopup();
    this.fit();
    this.bind();
  }

  MapView.prototype.size = function () {
    var r = this.root.getBoundingClientRect();
    return { w: Math.max(200, Math.round(r.width)), h: Math.max(200, Math.round(r.height)) };
  };

  MapView.prototype.fit = function () {
    var f = this.features;
    var size = this.size();
    if (!f.length) {
      this.center = { lat: 29.84, lng: 106.05 };
      this.z = 12;
      this.render();
      return;
    }
    var minLat = Infinity, maxLat = -Infinity, minLng = Infinity, maxLng = -Infinity;
    f.forEach(function (p) {
      minLat = Math.min(minLat, p.lat); maxLat = Math.max(maxLat, p.lat);
      minLng = Math.min(minLng, p.lng); maxLng = Math.max(maxLng, p.lng);
    });
    // room for the radius circles around the outermost points
    var padLat = this.radius / 111195, padLng = padLat / Math.cos((minLat + maxLat) * Math.PI / 360);
    minLat -= padLat; maxLat += padLat; minLng -= padLng; maxLng += padLng;
    var a = project(maxLat, minLng, 0), b = project(minLat, maxLng, 0);
    var dx = Math.max(b.x - a.x, 1e-9), dy = Math.max(b.y - a.y, 1e-9);
    var z = Math.log2(Math.min((size.w - 40) / dx, (size.h - 40) / dy));
    z = Math.min(Math.max(z, MIN_Z), 18);
    this.z = this.tiles ? Math.floor(z) : z;
    this.center = unproject((a.x + b.x) / 2 * Math.pow(2, this.z), (a.y + b.y) / 2 * Math.pow(2, this.z), this.z);
    this.render();
  };

  MapView.prototype.toScreen = function (lat, lng) {
    var c = project(this.center.lat, this.center.lng, this.z);
    var p = project(lat, lng, this.z);
    return { x: p.x - c.x + this.w / 2, y: p.y - c.y + this.h / 2 };
  };

  MapView.prototype.render = function () {
    var size = this.size();
    this.w = size.w; this.h = size.h;
    this.svg.setAttribute("viewBox", "0 0 " + this.w + " " + this.h);
    this.svg.setAttribute("width", this.w);
    this.svg.setAttribute("height", this.h);
    if (this.tiles) this.drawTiles(); else this.drawGrid();
    this.drawRadius();
    this.drawMarkers();
    this.drawScale();
  };

  MapView.prototype.drawTiles = function () {
    var g = this.gTiles, z = Math.round(this.z), n = Math.pow(2, z);
    while (g.firstChild) g.removeChild(g.firstChild);
    var c = project(this.center.lat, this.center.lng, z);
    var left = c.x - this.w / 2, top = c.y - this.h / 2;
    var x0 = Math.floor(left / TILE), x1 = Math.floor((left + this.w) / TILE);
    var y0 = Math.max(0, Math.floor(top / TILE)), y1 = Math.min(n - 1, Math.floor((top + this.h) / TILE));
    for (var x = x0; x <= x1; x++) {
      for (var y = y0; y <= y1; y++) {
        var wx = ((x % n) + n) % n;
        var url = this.config.tileUrl.replace("{z}", z).replace("{x}", wx).replace("{y}", y).replace("{s}", "");
        el("image", { href: url, x: x * TILE - left, y: y * TILE - top, width: TILE, height: TILE, preserveAspectRatio: "none" }, g);
      }
    }
  };

  MapView.prototype.drawGrid = function () {
    var g = this.gGrid;
    while (g.firstChild) g.removeChild(g.firstChild);
    el("rect", { x: 0, y: 0, width: this.w, height: this.h, class: "sur-bg" }, g);
    var nw = unproject(project(this.center.lat, this.center.lng, this.z).x - this.w / 2,
      project(this.center.lat, this.center.lng, this.z).y - this.h / 2, this.z);
    var se = unproject(project(this.center.lat, this.center.lng, this.z).x + this.w / 2,
      project(this.center.lat, this.center.lng, this.z).y + this.h / 2, this.z);
    var steps = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
    var step = nice((se.lng - nw.lng) / 4, steps);
    var digits = step < 0.001 ? 4 : step < 0.01 ? 3 : step < 0.1 ? 2 : 1;
    var lng, lat, p, t;
    for (lng = Math.ceil(nw.lng / step) * step; lng <= se.lng; lng += step) {
      p = this.toScreen(this.center.lat, lng);
      el("line", { x1: p.x, y1: 0, x2: p.x, y2: this.h, class: "sur-gridline" }, g);
      t = el("text", { x: p.x + 3, y: 12, class: "sur-gridlabel" }, g);
      t.textContent = lng.toFixed(digits) + "°E";
    }
    for (lat = Math.ceil(se.lat / step) * step; lat <= nw.lat; lat += step) {
      p = this.toScreen(lat, this.center.lng);
      el("line", { x1: 0, y1: p.y, x2: this.w, y2: p.y, class: "sur-gridline" }, g);
      t = el("text", { x: 3, y: p.y - 3, class: "sur-gridlabel" }, g);
      t.textContent = lat.toFixed(digits) + "°N";
    }
  };

  MapView.prototype.drawRadius = function () {
    var g = this.gRadius, self = this;
    while (g.firstChild) g.removeChild(g.firstChild);
    this.features.forEach(function (f) {
      if (f.layer !== "school") return;
      var p = self.toScreen(f.lat, f.lng);
      var r = self.radius / metresPerPixel(f.lat, self.z);
      el("circle", { cx: p.x, cy: p.y, r: r, class: "sym-radius" }, g);
    });
  };

  MapView.prototype.drawMarkers = function () {
    var g = this.gMarkers, labels = this.gLabels, self = this;
    while (g.firstChild) g.removeChild(g.firstChild);
    while (labels.firstChild) labels.removeChild(labels.firstChild);
    var order = { venue: 1, traffic: 2, post: 3, school: 4 }; // schools on top
    var sorted = this.features.map(function (f, i) { return [f, i]; })
      .sort(function (a, b) { return (order[a[0].layer] || 0) - (order[b[0].layer] || 0); });
    sorted.forEach(function (pair) {
      var f = pair[0], i = pair[1];
      var p = self.toScreen(f.lat, f.lng);
      if (p.x < -30 || p.y < -30 || p.x > self.w + 30 || p.y > self.h + 30) return;
      var m = el("g", {
        class: "sur-m layer-" + f.layer + (f.problem ? " problem" : ""),
        transform: "translate(" + p.x.toFixed(1) + " " + p.y.toFixed(1) + ")",
        tabindex: "0", role: "button", "aria-label": f.name, "data-i": i,
        id: f.id ? f.layer + "-" + f.id : null,
      }, g);
      if (!f.id) m.removeAttribute("id");
      el("circle", { r: 16, class: "sur-hit" }, m); // a thumb-sized target
      if (f.layer === "school") el("rect", { x: -8, y: -8, width: 16, height: 16, rx: 2, class: "sym-school" }, m);
      else if (f.layer === "post") el("path", { d: "M0 -9 9 7H-9z", class: "sym-post" }, m);
      else if (f.layer === "traffic") el("path", { d: "M0 -8 8 0 0 8 -8 0z", class: "sym-traffic" }, m);
      else el("circle", { r: 6.5, class: "sym-venue" + (f.problem ? " problem" : "") }, m);
      if (f.layer === "school") {
        var t = el("text", { x: p.x.toFixed(1), y: (p.y + 22).toFixed(1), class: "sur-label" }, labels);
        t.textContent = f.name;
      }
    });
  };

  MapView.prototype.drawScale = function () {
    var g = this.gScale;
    while (g.firstChild) g.removeChild(g.firstChild);
    var mpp = metresPerPixel(this.center.lat, this.z);
    var metres = nice(mpp * this.w / 4, [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000]);
    var px = metres / mpp, x = 10, y = this.h - 14;
    el("rect", { x: x - 4, y: y - 16, width: px + 8, height: 24, class: "sur-scalebg" }, g);
    el("path", { d: "M" + x + " " + (y - 5) + "V" + y + "H" + (x + px) + "V" + (y - 5), class: "sur-scalebar" }, g);
    var t = el("text", { x: x + px / 2, y: y - 5, class: "sur-scalelabel" }, g);
    t.textContent = metres >= 1000 ? metres / 1000 + " 公里" : metres + " 米";
  };

  MapView.prototype.buildControls = function () {
    var self = this;
    var box = document.createElement("div");
    box.className = "sur-zoom";
    [["+", "放大", 1], ["−", "缩小", -1], ["⤢", "显示全部", 0]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn";
      btn.textContent = b[0];
      btn.setAttribute("aria-label", b[1]);
      btn.addEventListener("click", function () { if (b[2]) self.zoomBy(b[2]); else self.fit(); });
      box.appendChild(btn);
    });
    this.root.appendChild(box);
  };

  MapView.prototype.zoomBy = function (dz, sx, sy) {
    var z = Math.min(Math.max(this.z + dz, MIN_Z), MAX_Z);
    if (this.tiles) z = Math.round(z);
    if (z === this.z) return;
    if (sx !== undefined) { // keep the point under the cursor in place
      var before = project(this.center.lat, this.center.lng, this.z);
      var at = unproject(before.x + sx - this.w / 2, before.y + sy - this.h / 2, this.z);
      var after = project(at.lat, at.lng, z);
      this.center = unproject(after.x - (sx - this.w / 2), after.y - (sy - this.h / 2), z);
    }
    this.z = z;
    this.render();
  };

  MapView.prototype.panBy = function (dx, dy) {
    var c = project(this.center.lat, this.center.lng, this.z);
    this.center = unproject(c.x - dx, c.y - dy, this.z);
    this.render();
  };

  MapView.prototype.buildPopup = function () {
    var pop = document.createElement("div");
    pop.className = "sur-popup";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-live", "polite");
    pop.hidden = true;
    this.root.appendChild(pop);
    this.popup = pop;
  };

  MapView.prototype.open = function (i) {
    var f = this.features[i];
    if (!f) return;
    var pop = this.popup;
    pop.innerHTML = "";
    var close = document.createElement("button");
    close.type = "button"; close.className = "link sur-close"; close.textContent = "关闭";
    close.addEventListener("click", function () { pop.hidden = true; });
    var kind = { school: "学校", post: "护学岗", venue: "周边场所", traffic: "校门交通点" }[f.layer] || "";
    var h = document.createElement("strong"); h.textContent = f.name;
    var k = document.createElement("span"); k.className = "tag"; k.textContent = kind;
    pop.appendChild(close); pop.appendChild(k); pop.appendChild(document.createTextNode(" ")); pop.appendChild(h);
    (f.lines || []).forEach(function (line) {
      var p = document.createElement("div"); p.textContent = line; pop.appendChild(p);
    });
    if (f.url) {
      var a = document.createElement("a"); a.href = f.url; a.textContent = "查看详情 ›"; a.className = "sur-more";
      pop.appendChild(a);
    }
    pop.hidden = false;
  };

  MapView.prototype.bind = function () {
    var self = this, svg = this.svg;
    var pointers = {}, start = null, moved = false, pinch = null;
    svg.addEventListener("pointerdown", function (e) {
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      var ids = Object.keys(pointers);
      if (ids.length === 1) { start = { x: e.clientX, y: e.clientY, lx: e.clientX, ly: e.clientY }; moved = false; }
      if (ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        pinch = { d: Math.hypot(a.x - b.x, a.y - b.y), z: self.z };
      }
    });
    svg.addEventListener("pointermove", function (e) {
      if (!pointers[e.pointerId]) return;
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      var ids = Object.keys(pointers);
      if (ids.length === 2 && pinch) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var d = Math.hypot(a.x - b.x, a.y - b.y);
        var dz = Math.log2(d / pinch.d);
        if (self.tiles) dz = Math.round(dz);
        if (pinch.z + dz !== self.z) { self.z = Math.min(Math.max(pinch.z + dz, MIN_Z), MAX_Z); self.render(); }
        moved = true;
        return;
      }
      if (!start) return;
      if (Math.abs(e.clientX - start.x) + Math.abs(e.clientY - start.y) > 6) moved = true;
      if (moved) {
        if (!svg.hasPointerCapture(e.pointerId)) svg.setPointerCapture(e.pointerId);
        self.panBy(e.clientX - start.lx, e.clientY - start.ly);
        start.lx = e.clientX; start.ly = e.clientY;
      }
    });
    function end(e) {
      delete pointers[e.pointerId];
      if (Object.keys(pointers).length < 2) pinch = null;
      if (!Object.keys(pointers).length) start = null;
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    svg.addEventListener("click", function (e) {
      if (moved) { moved = false; return; }
      var m = e.target.closest(".sur-m");
      if (m) self.open(+m.getAttribute("data-i"));
      else self.popup.hidden = true;
    });
    svg.addEventListener("keydown", function (e) {
      var m = e.target.closest && e.target.closest(".sur-m");
      if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); self.open(+m.getAttribute("data-i")); }
    });
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      self.zoomBy(e.deltaY < 0 ? 1 : -1, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.render(); }, 150);
    });
  };

  MapView.prototype.focusHash = function () {
    var m = /^#(school|post|venue|traffic)-(\d+)$/.exec(window.location.hash);
    if (!m) return;
    for (var i = 0; i < this.features.length; i++) {
      var f = this.features[i];
      if (f.layer === m[1] && String(f.id) === m[2]) {
        this.center = { lat: f.lat, lng: f.lng };
        this.z = Math.max(this.z, this.tiles ? 17 : 17);
        this.render();
        this.open(i);
        return;
      }
    }
  };

  function init() {
    var root = document.getElementById("sur-map");
    var data = document.getElementById("sur-map-config");
    if (!root || !data) return;
    var view = new MapView(root, JSON.parse(data.textContent));
    view.focusHash();
    root.mapView = view;
    document.querySelectorAll("[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        root.classList.toggle("hide-" + box.getAttribute("data-layer"), !box.checked);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
