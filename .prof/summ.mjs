import fs from "node:fs";
const f = fs.readdirSync(process.argv[2]).map(x=>process.argv[2]+"/"+x)[0];
const p = JSON.parse(fs.readFileSync(f));
const self = new Map(); const byId = new Map(p.nodes.map(n=>[n.id,n]));
const dt = {}; p.samples.forEach((s,i)=>{ dt[s]=(dt[s]||0)+(p.timeDeltas[i]||0); });
const total = Object.values(dt).reduce((a,b)=>a+b,0);
// self time by function+url
for (const n of p.nodes){ const k=`${n.callFrame.functionName||"(anon)"} ${n.callFrame.url.replace(/.*node_modules\//,"nm/").replace(/.*\/work\/main\//,"").replace(/.*\.next\//,".next/")}:${n.callFrame.lineNumber}`; self.set(k,(self.get(k)||0)+(dt[n.id]||0)); }
console.log("total ms", (total/1000).toFixed(0));
[...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,35).forEach(([k,v])=>console.log((v/1000).toFixed(0).padStart(7), k));
// by package (self)
const pk = new Map();
for (const n of p.nodes){ const u=n.callFrame.url; let k = u.includes("node_modules/")? u.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/,"$1") : u.includes("/work/main/")? u.replace(/.*\/work\/main\/([^/]+).*/,"own:$1") : (u||"(native/gc)"); pk.set(k,(pk.get(k)||0)+(dt[n.id]||0)); }
console.log("--- by package");
[...pk.entries()].sort((a,b)=>b[1]-a[1]).slice(0,20).forEach(([k,v])=>console.log((v/1000).toFixed(0).padStart(7), k));
