/**
 * siunitx quantities as plain text: `\SI{3.5}{\giga\hertz}` / `\qty{3.5}{\giga\hertz}` -> "3.5 GHz",
 * `\si{\kilo\metre\per\second}` -> "km/s", `\num{1.2e3}` -> "1.2×10^3", `\ang{30}` -> "30°". Works on the
 * raw argument text, which is a flat list of unit macros, not prose worth a parse.
 */

/** Argument signatures, so unified-latex attaches the arguments to the macros. */
export const SIUNITX_SIGNATURES: Record<string, string> = {
  SI: 'o m o m', qty: 'o m m', si: 'o m', unit: 'o m', num: 'o m', ang: 'o m', numrange: 'o m m',
  SIrange: 'o m m m', qtyrange: 'o m m m', numlist: 'o m', SIlist: 'o m m', qtylist: 'o m m',
};

const PREFIXES: Record<string, string> = {
  yocto: 'y', zepto: 'z', atto: 'a', femto: 'f', pico: 'p', nano: 'n', micro: 'µ', milli: 'm', centi: 'c',
  deci: 'd', deca: 'da', deka: 'da', hecto: 'h', kilo: 'k', mega: 'M', giga: 'G', tera: 'T', peta: 'P',
  exa: 'E', zetta: 'Z', yotta: 'Y', kibi: 'Ki', mebi: 'Mi', gibi: 'Gi', tebi: 'Ti', pebi: 'Pi',
};

const UNITS: Record<string, string> = {
  metre: 'm', meter: 'm', second: 's', gram: 'g', kilogram: 'kg', ampere: 'A', kelvin: 'K', mole: 'mol',
  candela: 'cd', hertz: 'Hz', newton: 'N', pascal: 'Pa', joule: 'J', watt: 'W', coulomb: 'C', volt: 'V',
  farad: 'F', ohm: 'Ω', siemens: 'S', weber: 'Wb', tesla: 'T', henry: 'H', degreeCelsius: '°C', celsius: '°C',
  lumen: 'lm', lux: 'lx', becquerel: 'Bq', gray: 'Gy', sievert: 'Sv', katal: 'kat', radian: 'rad',
  steradian: 'sr', minute: 'min', hour: 'h', day: 'd', degree: '°', arcminute: '′', arcsecond: '″',
  hectare: 'ha', litre: 'L', liter: 'L', tonne: 't', electronvolt: 'eV', dalton: 'Da', atomicmassunit: 'u',
  astronomicalunit: 'au', bel: 'B', decibel: 'dB', neper: 'Np', percent: '%', bar: 'bar', angstrom: 'Å',
  barn: 'b', knot: 'kn', mmHg: 'mmHg', byte: 'B', bit: 'bit', clight: 'c', electronmass: 'mₑ',
};

/** Units written right after the number, as siunitx does for angles (and as prose does for %). */
const UNSPACED = new Set(['%', '°', '′', '″']);

/** Text of a siunitx macro from its mandatory arguments' raw LaTeX, or undefined for an unknown shape. */
export function siunitxText(name: string, args: string[]): string | undefined {
  const [a, b, c] = args;
  switch (name) {
    case 'num':
      return a === undefined ? undefined : numberText(a);
    case 'si':
    case 'unit':
      return a === undefined ? undefined : unitText(a);
    case 'SI':
    case 'qty':
      return a === undefined || b === undefined ? undefined : quantity(numberText(a), unitText(b));
    case 'ang':
      return a === undefined ? undefined : angle(a);
    case 'numrange':
      return a === undefined || b === undefined ? undefined : `${numberText(a)}–${numberText(b)}`;
    case 'SIrange':
    case 'qtyrange':
      return c === undefined ? undefined : quantity(`${numberText(a)}–${numberText(b)}`, unitText(c));
    case 'numlist':
      return a === undefined ? undefined : listText(a.split(';').map(numberText));
    case 'SIlist':
    case 'qtylist':
      return b === undefined ? undefined : quantity(listText(a.split(';').map(numberText)), unitText(b));
    default:
      return undefined;
  }
}

function quantity(number: string, unit: string): string {
  if (!unit) return number;
  return UNSPACED.has(unit) ? `${number}${unit}` : `${number} ${unit}`;
}

function listText(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1.2e-3` -> "1.2×10^-3", `3.5 +- 0.1` -> "3.5 ± 0.1", `2 x 3` -> "2 × 3". */
function numberText(raw: string): string {
  return raw
    .replace(/\\pm|\+-/g, ' ± ')
    .replace(/\\times|(?<=\d)\s*x\s*(?=\d)/g, ' × ')
    .replace(/\\approx/g, '≈ ')
    .replace(/\\[A-Za-z]+|[{}]/g, '')
    .replace(/(\d)\s*[eE]\s*([-+]?\d+)/g, '$1×10^$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function angle(raw: string): string {
  const parts = raw.split(';').map((p) => numberText(p));
  return ['°', '′', '″']
    .map((mark, k) => (parts[k] ? parts[k] + mark : ''))
    .join('');
}

/** `\kilo\metre\per\second` -> "km/s", `\square\metre` -> "m^2", literal `GHz` or `m/s` kept. */
function unitText(raw: string): string {
  const parts: string[] = [];
  let prefix = '';
  let power = '';
  let per = false;
  const push = (symbol: string) => {
    const part = prefix + symbol + (power ? `^${power}` : '');
    parts.push(per && parts.length ? `/${part}` : part);
    prefix = power = '';
    per = false;
  };
  const token = /\\([A-Za-z]+)\s*(?:\{([^{}]*)\})?|([^\\]+)/g;
  for (let m = token.exec(raw); m; m = token.exec(raw)) {
    const [, macro, arg, literal] = m;
    if (literal !== undefined) {
      const text = literal.replace(/[{}]/g, '').replace(/(?<=[A-Za-z])[.~](?=[A-Za-z])/g, ' ').trim();
      if (text) push(text);
    } else if (macro in PREFIXES) prefix += PREFIXES[macro];
    else if (macro in UNITS) push(UNITS[macro]);
    else if (macro === 'per') per = true;
    else if (macro === 'square') power = '2';
    else if (macro === 'cubic') power = '3';
    else if (macro === 'raiseto' && arg) power = arg;
    else if ((macro === 'squared' || macro === 'cubed' || macro === 'tothe') && parts.length) {
      parts[parts.length - 1] += `^${macro === 'squared' ? '2' : macro === 'cubed' ? '3' : arg ?? ''}`;
    } else if (!['per', 'of', 'highlight', 'cancel'].includes(macro)) push(macro);
  }
  return parts.join(' ').replace(/ \//g, '/');
}
