// Material 9.8's partials/javascripts/base.html as a file: the site's scope (its root
// URL) and the helpers Material and palette-restore.js keep the reader's choices with,
// in localStorage under that scope. Inline it was the same code on every page with only
// the page's way back to the root changed; here the root is found from this file's own
// address, one folder up, so one file serves every page and is fetched once.
// Loaded synchronously in the head, where the inline script stood (overrides/partials/).
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
