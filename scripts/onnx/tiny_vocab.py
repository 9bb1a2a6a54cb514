"""Deterministic ~1000-token WordPiece vocab for the tiny ONNX test models.

Not derived from any external file: special tokens, single characters, `##` character and suffix
pieces, then a hand-written list of common English and science words (lower-case, as BERT uncased).
The order is fixed, so ids are stable: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4.
"""

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789") + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

SUFFIXES = """s es ed ing ly er ers est tion tions sion al ally ic ical ity ities ive ness ment ments able ible
ous ize ized izes ization ation ations ant ance ence ent ist ists ism ful less ry ory ure ures ial ian
ular ary ate ated ates ating or ors on ons le les en ine ide ian ia ian um us""".split()

WORDS = """
the of and to a in is that for on with as by this we are be from an it at which our these
or can not have has its also been their two one more than such both but using based model
models method methods approach results show propose proposed paper study data new use used
problem problems system systems time network networks learning deep neural training
performance algorithm algorithms analysis function functions theory quantum energy field fields
state states structure structures physics mathematics computer science language languages
large small high low first second three different between each other into over under
through while when where how what however well also only all any some many most very
further set sets number numbers space spaces order linear nonlinear equation equations
solution solutions dynamics dynamical temperature magnetic phase phases transition transitions
spin electron electrons particle particles mass masses galaxy galaxies star stars stellar
cosmic cosmological dark matter black hole holes gravitational waves wave frequency
optical light laser photon photons atom atoms atomic molecular molecule molecules
graph graphs random probability distribution distributions estimate estimation estimator
statistical statistics sample samples inference bayesian regression classification
image images vision video text speech recognition translation task tasks benchmark
benchmarks dataset datasets experiments experimental evaluation evaluate demonstrate
improve improves improved improvement accuracy efficient efficiency robust robustness
optimal optimization convex gradient descent stochastic loss objective constraint
constraints bound bounds lower upper prove proof theorem lemma conjecture group groups
algebra algebraic geometry geometric topology topological manifold manifolds surface
surfaces curve curves prime primes integer integers finite infinite dimensional dimension
operator operators matrix matrices vector vectors tensor eigenvalue spectral spectrum
continuous discrete sequence sequences series convergence converge limit local global
control controller robot robots robotic agent agents reinforcement policy reward game games
security privacy attack attacks protocol protocols channel channels communication wireless
signal signals noise power cell cells protein proteins gene genes biological population
economic market markets financial price prices risk social human users user online
software code program programs programming compiler hardware memory parallel distributed
computing computation computational complexity polynomial hardness hard easy simple
framework frameworks architecture architectures transformer transformers attention embedding
embeddings representation representations feature features generative adversarial
supervised unsupervised semi self pretrained pre fine tuning scale scaling law laws
simulation simulations numerical observations observed observation measurement measurements
detection detector detectors survey telescope emission absorption radio ray rays x gamma
flux luminosity redshift planet planets planetary solar sun disk disks formation evolution
plasma fluid flow flows turbulence turbulent heat thermal material materials crystal
superconducting superconductor superconductivity topological insulator lattice lattices
entanglement qubit qubits circuit circuits gate gates error errors correction noisy
classical relativity general special symmetry symmetries breaking gauge string strings
boundary conditions condition initial final effect effects effective interaction
interactions coupling strong weak mean average total single multiple multi cross
domain domains knowledge reasoning question questions answer answering generation
generate generated generating sentence sentences word words semantic syntactic
paper papers article work works recent recently existing previous prior novel first
provide provides present presents presented introduce introduces introduced develop
developed development apply applied application applications real world practical
theoretical empirical empirically empirical significant significantly compared comparison
against across within without among due because since thus therefore hence so then
may might could would should must will do does did make makes made find found finding
findings obtain obtained show shows shown given give gives take takes consider considered
study studies studied investigate investigated explore explored describe described
propose proposes known unknown important key main central critical general specific
standard common typical natural artificial intelligence machine machines automatic
point points line lines plane region regions area volume size length width height depth
level levels layer layers term terms rate rates ratio factor factors parameter parameters
variable variables value values range ranges type types class classes category categories
process processes processing information theory theories physical chemical chemistry
biology medical clinical patient patients disease health brain neurons neuron cognitive
environment environmental climate earth ocean atmosphere atmospheric water carbon
nuclear neutron neutrons proton protons quark quarks hadron hadrons collider lhc higgs
boson bosons fermion fermions neutrino neutrinos decay decays cross section sections
here there they them it its he she his her who whose than then now also even still
up down out off about above below after before during again once per via versus
new old good better best large larger largest small smaller smallest long short fast
slow higher lower faster slower less least full partial exact approximate approximation
approximations asymptotic analytic analytical closed form forms expression expressions
"""

def build_vocab():
    seen = set()
    out = []
    def add(tok):
        if tok not in seen:
            seen.add(tok)
            out.append(tok)
    for t in SPECIALS:
        add(t)
    for c in CHARS:
        add(c)
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        add("##" + c)
    for s in SUFFIXES:
        add("##" + s)
    for w in WORDS.split():
        add(w)
    # Word-start pieces of common stems, so out-of-list words still split into a few pieces.
    for w in WORDS.split():
        if len(w) >= 6:
            add(w[:3])
        if len(out) >= 1000:
            break
    return out


if __name__ == "__main__":
    v = build_vocab()
    print(len(v))
