"""Reply empathy scorer: how empathetic is a written reply to a message?

`score_reply(message, reply)` returns a `ReplyScore` (0-100) with five mechanisms, each 0 absent /
1 weak / 2 strong, the spans of the reply that show them and advice when they are not strong,
plus the problems found (blaming, dismissing, jargon, template-only).

Design, after the empathy-communication research and customer-service practice:
- EPITOME (Sharma et al., 2020) splits empathy in text into emotional reactions, interpretations
  and explorations, each none / weak / strong: weak is generic ("sorry to hear that", "I
  understand", "What happened?"), strong is specific (naming the feeling, reflecting the
  situation, an open question about it). EmpatheticDialogues (Rashkin et al., 2019) shows the same
  cues: second-person feeling statements, acknowledgement, follow-up questions.
- Service recovery adds ownership (a sincere apology that names the fault, not "sorry if you feel
  that way") and a concrete next step (who does what, by when).
- Signals are lexical pattern families, pronoun/perspective cues (you-focused reflections,
  first-person responsibility and commitments, second-person blame), question detection, and the
  overlap between the message's content words and the reply (how specific the understanding is).

Pure standard library, deterministic, a few hundred microseconds per pair. Labelled examples and
the rubric are in heard_nlp/data/ (reply_pairs.csv, README.md); `evaluate_reply_scorer()`
measures agreement with them on the held-out split.
"""

from __future__ import annotations

import csv
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal

from heard_nlp.types import Mechanism, Problem, ReplyScore, Span

MechanismName = Literal[
    "emotional_reaction", "interpretation", "exploration", "ownership", "next_step"
]
ProblemName = Literal["blaming", "dismissing", "jargon", "template_only"]

MECHANISMS: Final[tuple[MechanismName, ...]] = (
    "emotional_reaction",
    "interpretation",
    "exploration",
    "ownership",
    "next_step",
)
PROBLEMS: Final[tuple[ProblemName, ...]] = ("blaming", "dismissing", "jargon", "template_only")

DATA_PATH: Final = Path(__file__).parent / "data" / "reply_pairs.csv"

_MAX_SPANS: Final = 4  # spans kept per mechanism or problem
_MAX_ANALYSED: Final = 20_000  # characters of a reply read for evidence (a reply, not a book)
_MAX_MESSAGE: Final = 20_000


def _rx(pattern: str) -> re.Pattern[str]:
    """A verbose pattern matched against lower-cased text: its literals are lower-cased here
    (escapes such as \\A or \\W kept), which runs about 3x faster than re.IGNORECASE."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return re.compile("".join(out), re.VERBOSE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# Lexicons. Patterns built with _rx are matched against the lower-cased reply, with curly
# quotes already mapped to straight ones (one character for one, so offsets stay valid).

_NEG_BEFORE: Final = _rx(
    r"""(?:\b(?:don't|do\ not|no\ need\ to|nothing\ to|not|never|try\ not\ to|isn't|aren't|
    wasn't|won't)\s+(?:\w+\s+)?)$"""
)

# Feelings and emotional weight, named or reflected (EPITOME strong emotional reaction).
_FEELING: Final = _rx(
    r"""\b(?:frustrat\w*|stress\w*|upset\w*|worr(?:y|ied|ying|ies)|scar(?:y|ed|ing)|frighten\w*|
    terrif\w*|anxi\w*|nervous\w*|nerve-racking|panick?\w*|afraid|fear(?:ful)?|overwhelm\w*|
    exhaust\w*|knackered|drained|burn(?:t|ed)\ out|disappoint\w*|gutt(?:ed|ing)|devastat\w*|
    heartbr\w*|hurt(?:ful|ing)?|humiliat\w*|embarrass\w*|awkward|uncomfortable|unsettl\w*|
    demoralis\w*|demoraliz\w*|dishearten\w*|madden\w*|infuriat\w*|annoy(?:ed|ing)|angry|furious|
    fed\ up|sad|saddened|lonely|isolated|shock(?:ed|ing)?|alarm(?:ing|ed)|distress\w*|painful|
    awful|horrible|terrible|dreadful|griev\w*|grief|let\ down|misled|ignored|
    disrespect\w*|unfair|not\ fair|isn't\ fair|a\ lot\ to\ (?:carry|deal\ with|take\ in|
    put\ up\ with)|
    the\ last\ thing\ you\ need|knock\ anyone|stretched|scared|emotionally|hard\ on\ you|
    ridiculous|confus(?:ing|ed))\b|
    \b(?:really|so|very|incredibly|genuinely|extremely|such\ a)\ (?:hard|difficult|tough|rough)\b|
    \b(?:see|get)\ why\ (?:it|that|this|you)(?:'d|\ would)?\ (?:feels?|felt)\b"""
)
# Generic sympathy or warmth without naming a feeling (EPITOME weak emotional reaction).
_SYMPATHY: Final = _rx(
    r"""\b(?:sorry\ to\ hear|sorry\ (?:that\ )?you(?:'re|\ are|'ve\ been|
    \ have\ been)\ (?!going\ to)\w+|
    sorry\ you\ feel\ (?!that\ way|so\b)\w+|oh\ no|oh\ dear|that's\ (?:not\ great|not\ good|
    not\ ideal|a\ shame|such\ a\ shame|rough|tough|rubbish|gross|hard|a\ pain)|
    what\ a\ (?:shame|pain|nightmare)|I\ hear\ you|must\ be\ (?:hard|difficult|tough|a\ lot)|
    (?:it's|that's|this\ is|are|is)\ (?:a\ lot|hard|difficult|tough|rough)\b|been\ (?:rough|tough|
    hard)|
    congrat\w*|glad\ (?:to\ hear|it\ help\w*|you)|(?:lovely|great|good)\ to\ hear|
    (?:(?:I|we)\ )?hope\ (?:you|he|she|they|your|the|it|all)\b|thank(?:s|
    \ you)\ (?:so\ much\ )?for\ (?:telling|
    trusting|sharing|letting\ me\ know|being\ (?:straight|honest|upfront|open)|raising|flagging)|
    (?<!to\ )take\ care(?=\s*[.!,]|\s*$)|
    sorry\ for\ your\ loss|sorry\ you've\ had\ to|(?:been|is|was)\ a\ (?:tough|hard|difficult|
    rough|stressful)\ \w+|great\ news|(?:that's|how)\ (?:really\ |so\ )?kind|
    I\ (?:completely\ |totally\ |fully\ )?understand\b|\bunderstood\b|totally\ understand|
    sorry\ (?:about|for)\ your\ (?:loss|mum|mom|mother|dad|father|parent|brother|sister|son|
    daughter|wife|husband|partner|friend)|my\ condolences|condolences|
    (?:means|meant)\ a\ lot|happy\ to\ help|really\ glad)"""
)
# "sorry you're upset", "sorry to hear she's worried": a feeling named inside generic sympathy.
_GENERIC_BEFORE: Final = _rx(
    r"""sorry\ (?:to\ hear\ )?(?:that\ )?(?:you|she|he|they)(?:'re|'s|\ are|\ is|\ feel|\ felt)\s*
    (?:so\s+|really\s+|very\s+|a\ bit\s+)?$"""
)
_INTENSE: Final = _rx(
    r"""\b(?:so|really|truly|very|deeply|terribly|incredibly|genuinely|completely|totally|such)\s+
    sorry\s+(?:about|for)\s+your\b"""
)

# Interpretation: generic understanding (weak) and reflection frames (strong when specific).
_UNDERSTAND: Final = _rx(
    r"""\b(?:I\ (?:completely\ |totally\ |fully\ |do\ )?understand\b|I\ get\ (?:it|that|why)|
    I\ (?:see|know)\ what\ you\ mean|I\ can\ see\ (?:that|what|how|the)|makes\ (?:complete\ |
    total\ |perfect\ )?sense|fair\ (?:enough|point|question)|you're\ (?:right|not\ the\ only)|
    you\ are\ right|good\ (?:catch|question|point)|understood|I\ hear\ what|I\ know\ what)"""
)
_REFLECT: Final = _rx(
    r"""\b(?:I\ can\ (?:see|understand|imagine|tell|hear)\ (?:why|how)|I\ can\ hear|
    (?:especially|particularly)\ (?:when|with|as|since|after|because|in|now|if)|
    you've\ (?:had|been|done|asked|spent|waited|lost|chased|told|worked|made|put|paid|emailed|
    called|tried|raised)|you\ (?:were|are|have\ been)\ (?:told|promised|sold|charged|left|
    expected|sent|asked|put|made|passed)|you\ (?:paid|spent|took|lost|chose|moved|asked|trained|
    booked|ordered|switched|contacted|found|told|got|needed|rely|relied|use|waited|blocked|
    emailed)|it\ sounds\ like|which\ means|that\ means|after\ (?:five|
    two|three|four|six|eight|ten|\d+)\ \w+|in\ front\ of|on\ top\ of|for\ you\b|with\ your\ \w+|
    you\ (?:were|had)\ (?:to|already)|you're\ (?:paying|trying|being|right\ to)|twice|again\b)"""
)

_YOU: Final = re.compile(r"\byou(?:r|'re|'ve|'d)?\b")
# A request for details that is not phrased as a question.
_ASK_DETAILS: Final = _rx(
    r"""\W*(?:please\s+)?(?:can|could)\s+you\s+(?:send|provide|confirm|tell)|
    \W*please\s+(?:send|provide|confirm)\b"""
)
# A sentence that announces the replier's action rather than reflecting the situation.
_ACTION_START: Final = _rx(
    r"""^\W*(?:\w+,\s+)?(?:I|we)(?:'ve|'ll|\ have|\ will|'m|\ am)?\s+(?:just\s+|also\s+|now\s+)?
    (?:issued|refunded|sent|booked|arranged|cancel\w*|removed|changed|updated|moved|ordered|
    unlocked|fixed|corrected|credited|approved|added|applied|blocked|reverted|restored|rebooked|
    set|put|taken|spoken|emailed|checked|send|call|email|check|book|arrange|review|take|make|
    meet|ring|text|pay|refund)\b"""
)

# Exploration.
_Q_GENERIC: Final = _rx(
    r"""\b(?:anything\ else|something\ else|any\ (?:other\ )?questions|is\ that\ (?:ok|okay|alright|
    all\ right)|sound\ good|
    how\ can\ (?:I|we)\ help|what\ can\ (?:I|we)\ do\ for\ you|what\ happened|ok\?|okay\?)"""
)
_Q_TRANSACTION: Final = _rx(
    r"""\b(?:number|reference|photo|photos|picture|receipt|receipts|details|postcode|
    serial|logs?|version|date\ of\ birth|password|passport|email\ address|model|
    rating\ plate|order\ number|booking\ reference|confirm|tried\ (?:restarting|charging|
    turning|clearing|logging|holding)|restart\w*|authoris\w*|authoriz\w*)\b"""
)
_Q_PARTICULAR: Final = _rx(r"""\bin\ particular\b|\bis\ there\ a\ (?:particular|specific)""")
_Q_SUGGESTION: Final = _rx(
    r"""^\W*(?:maybe|perhaps|why\ not|can\ you\ just|could\ you\ just|can't\ you|
    have\ you\ considered)\b"""
)
_Q_CHOICE: Final = _rx(
    r"""\b(?:how\ many|how\ much|what\ percentage|what\ time|what\ date|what\ size|what\ colou?r|
    would\ you\ like|which\ \w+\ (?:would|do|should)\ you|which\ \w+\ are\ you)\b"""
)
_Q_OFFER: Final = _rx(
    r"""^(?:\W*)(?:would\ (?:it|that|this)\ (?:help|work|suit|be\ (?:ok|okay|helpful|useful))|
    would\ you\ like\ (?:me|us|one|to|a|the)|do\ you\ want\ me|shall\ (?:I|we)|can\ I|could\ I|
    may\ I|should\ I|want\ (?:me|a)|does\ (?:the\ new|that|this)|are\ (?:the|you\ able)|
    is\ there\ (?:anything|something)|do\ you\ need|did\ you|have\ you|can\ you\ (?:confirm|send|
    provide|try|check)|could\ you\ (?:confirm|send|provide|try|check|log))"""
)
_Q_OPEN: Final = _rx(
    r"""\b(?:what|how|which|when|where|who|why)\b|\btell\ me\b|
    \bis\ there\ a\ (?:particular|specific)|\bwere\ you\b|\bhas\ (?:she|they|anyone)\b|
    \bdo\ you\ (?:feel|think|have\ a\ sense)"""
)
_INVITE: Final = _rx(
    r"""\b(?:tell\ me\ (?:more|about|what|how|which|where|when|why)|
    help\ me\ understand|I'd\ (?:like|love)\ to\ (?:hear|understand|know|learn)|
    I\ want\ to\ (?:hear|understand)|talk\ (?:it\ )?through\ what|to\ hear\ (?:more|what|how)|
    how\ (?:are|is)\ (?:you|he|she|they)\ (?:really\ )?(?:feeling|doing|managing|coping|
    getting\ on)|
    how\ you're\ (?:really\ )?(?:feeling|doing)|what\ would\ (?:help|make))"""
)

# Ownership.
_NON_APOLOGY: Final = _rx(
    r"""\b(?:(?:sorry|apologi[sz]e|apologies)\ (?:if|that)\ (?:you|it|this|that|anyone)
    \ (?:feel|felt|took|take|see|bother\w*|upset\w*|offend\w*|were|are|found|think|thought)|
    sorry\ you\ (?:feel|felt)\ (?:that\ way|so)|sorry\ you\ (?:took|take|see)\ it|
    (?:we\ )?regret\ that\ you|sorry\ if\ (?:you|it|this|that)\b)"""
)
_APOLOGY: Final = _rx(
    r"""\b(?:sorry|apologi[sz]e|apologi[sz]ing|apologies|my\ bad|forgive\ me|oops)\b"""
)
_APOLOGY_NOT: Final = _rx(
    r"""\b(?:sorry\ to\ hear|sorry\ for\ your\ loss|sorry\ (?:about|for)\ your\ (?:loss|mum|mom|
    mother|dad|father|parent|brother|sister|son|daughter|wife|husband|partner|friend)|
    sorry\ (?:that\ )?you(?:'re|\ are|'ve\ been|\ have\ been)|sorry,\ can't|
    (?:don't|do\ not|no\ need\ to)\ apologi[sz]e|sorry\ you\ feel)"""
)
_RESPONSIBILITY: Final = _rx(
    r"""\b(?:(?:that's|that\ is|this\ is|it's|it\ is|it\ was|that\ was|that\ one\ is|which\ is|
    which\ was)\ (?:entirely\ |completely\ |all\ )?(?:our|my)\ (?:fault|mistake|error|
    responsibility|failure|doing|bad)|(?:that's|that\ is|it's|this\ is|that\ one\ is|that\ was)
    \ (?:on|down\ to)\ (?:us|me)|(?:the\ )?(?:mistake|error|fault|failure)\ (?:is|was)\ (?:ours|
    mine|on\ our\ side|on\ my\ side)|(?:our|my)\ (?:mistake|error|fault|failure|responsibility)|
    (?:we|I)\ (?:should|shouldn't|should\ not)\ have|(?:we|I)\ (?:got|had)\ (?:that|it|this)\ wrong|
    (?:we|I)\ (?:made|caused)\ (?:a|an|the|this)\ (?:mistake|error)|we\ (?:didn't|did\ not|
    haven't|have\ not|failed\ to|forgot\ to|missed)|I\ (?:didn't|did\ not|haven't|failed\ to|
    forgot|forgot\ to|rushed|missed|double-booked|got\ carried|used\ the\ wrong|used\ the\ old|
    pulled\ the|was\ careless|was\ too|kept\ pushing)|
    (?:isn't|not|wasn't)\ good\ enough|
    (?:this|that|it)\ (?:isn't|wasn't|is\ not|was\ not)\ (?:acceptable|ok|okay|right|fair)|
    you\ (?:did|have\ done)\ nothing\ wrong|
    (?:was|were|is|are)\ our\ (?:mistake|error|fault)|on\ our\ side|our\ side|our\ (?:bug|
    system|driver|courier|printer)|(?:a|the)\ bug\ in\ our|I\ was\ out\ of\ line|
    (?:that\ was|it\ was)\ careless|we\ haven't\ kept|
    we\ (?:should|ought\ to)\ (?:have|never)|nobody\ (?:noticed|followed|passed|checked|told)|
    we've\ made|our\ job\ to|we\ (?:shipped|sent|applied|picked|put|printed|made|got)\ the\ wrong|
    it's\ our\ job|(?:sorry|apologies|apologi[sz]e)\ for\ (?:the|my|our|this)\ (?:error|mistake|
    mix-up|mistakes)|\bwe\ \w+\ (?:\w+\ ){0,4}(?:the\ )?wrong\b|\bthere\ should\ have\ been|
    sorry\ (?:that\ )?(?:it|this)\ (?:wasn't|hadn't|hasn't|didn't))"""
)

# "sorry." / "sorry that happened": sympathy unless the replier's side is implicated.
_BARE_SORRY: Final = _rx(r"""sorry(?:\s*[.!,:;]|\s+(?:that|this)\s+happened|\s*$)""")
# The message is about the replier or their service, so an apology is owed.
_IMPLICATES: Final = _rx(
    r"""\b(?:you|your|yours|u|ur)\b|\b(?:order|ordered|delivery|parcel|package|refund|charged|
    charge|invoice|account|app|website|engineer|repair|booking|warranty|courier|product|item|
    service)\b"""
)

# Next step.
_TIME: Final = _rx(
    r"""\b(?:today|tonight|tomorrow|this\ (?:morning|afternoon|evening|week|weekend)|
    next\ (?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday|day)|
    (?:on\ |by\ |before\ |from\ |until\ |this\ |first\ thing\ )?(?:monday|tuesday|wednesday|
    thursday|friday|saturday|sunday)|by\ (?:the\ end|end|close|lunch|noon|midday|\d)|
    within\ (?:\d+|one|two|three|four|five|ten|the\ (?:next\ )?hour|an?\ (?:hour|day|week))|
    \d{1,2}(?::\d\d)?\s?(?:am|pm)\b|at\ \d{1,2}(?::\d\d)?|\d+\s?(?:to|-)\s?\d+\s(?:working\ )?
    (?:days|hours|minutes)|in\ (?:the\ next|about)\ \w+|(?:just\ )?now\b|just\ now|
    straight\ away|right\ away|same\ day|same-day|next-day|end\ of\ (?:the\ )?(?:day|week|month)|
    \d{1,2}(?:st|nd|rd|th)?\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|
    (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s\d{1,2}\b|the\ \d{1,2}(?:st|nd|rd|th)|
    each\ day|first\ slot|from\ now\ on|from\ today|immediately|in\ an\ hour)\b"""
)
_DONE: Final = _rx(
    r"""\b(?:I|we)(?:'ve|\ have)?\s+(?:just\s+|now\s+|already\s+|also\s+)?(?:issued|refunded|
    sent|booked|arranged|cancell?ed|canceled|removed|changed|updated|moved|ordered|unlocked|
    fixed|corrected|credited|reverted|approved|rebooked|restored|added|applied|blocked|frozen|
    froze|stopped|reprinted|reset|re-?sent|attached|switched|extended|processed|released|pushed|
    scheduled|created|swapped|rolled\ back|closed|held|redirected|phoned|called|emailed|posted|
    confirmed|spoken|told|put\ (?:a|it|together|through)|got\ it|set\ (?:up|aside)|
    taken\ (?:over|back)|organised|organized|paid|given|written|forwarded\ the\ thread|
    reproduced|asked\ (?:for|our|them|the|IT)|let\ (?:your|the|them))\b|
    \b(?:I|we)(?:'ve|\ have)\s+(?:just\s+|now\s+|already\s+|also\s+|personally\s+)?
    (?!(?:noticed|realised|realized|tried|heard|seen|received|looked|been|had|got|checked|asked|
    passed|raised|mentioned|noted|logged|escalated|forwarded|experienced|enjoyed|learned|learnt|
    read|found|shared|waited|started|needed|wanted|decided|considered|reviewed)\b)\w+ed\b|
    \b(?:has|have)\ been\ (?:cancell?ed|canceled|refunded|removed|approved|sent|booked|fixed|
    updated|unlocked|corrected|restored|credited|processed|reprinted|stopped|issued|blocked|
    arranged|rebooked|moved|changed)\b|\bis\ (?:booked|on\ the\ way|confirmed|ready\ to\ collect)\b|
    \bgone\ out\b|\bwent\ out\b|\bI'm\ your\b|\bfrom\ today\b"""
)
_HANDOFF: Final = _rx(
    r"""\b(?:passed|forwarded|escalated|logged|mentioned|noted|shared|sent)\s+(?:it|this|
    that|your\ \w+|the\ \w+)?\s*(?:on\s+)?(?:to|with)\s+(?:the|our|a|your)\b|
    \bpassed\ (?:this|it|your)"""
)
# The replier commits to or offers an action; group 1 is the verb.
_SELF_STEP: Final = _rx(
    r"""\b(?:I|we)(?:'ll|\ will|\ am\ going\ to|'m\ going\ to|\ are\ going\ to|'re\ going\ to|
    'd\ like\ to|\ would\ like\ to|'d\ love\ to|\ can|\ could|'d\ be\ glad\ to|'d\ be\ happy\ to|
    'm\ happy\ to|\ am\ happy\ to)\s+(?:also\s+|then\s+|personally\s+|now\s+|just\s+|first\s+|
    make\ sure\ (?:to\s+)?|be\ glad\ to\s+|be\ happy\ to\s+)?(\w+)|
    \b(?:can|could|shall)\ we\s+(\w+)|\bwould\ you\ like\ me\ to\s+(\w+)|
    \bdo\ you\ want\ me\ to\s+(\w+)|\bwant\ to\s+(do|meet|grab|have|go|try)\b|
    \b(?:I'm|I\ am|we're|we\ are)\s+(\w+ing)\b"""
)
_CONCRETE_VERBS: Final = _words(
    """send sending call calling ring phone email emailing text message refund refunding book
    booking cancel approve cover take taking move moving set arrange submit fix fixing update
    process issue post credit order add remove record hold change meet join run share write
    writing walk reprint replace reimburse pay waive deliver collect reschedule
    rebook unlock restore apply switch schedule organise organize introduce handle deal put keep
    give lend sort swap freeze block reverse invite draft transfer export do make tell review
    sit agree putting swapping"""
)
# Weak steps: suggestions, offers to check, work in progress.
_SUGGEST: Final = _rx(
    r"""\b(?:let\ (?:me|us)\s+\w+|please\s+(?!find\b)\w+|maybe\s+(?:ask|speak|talk|try|check|
    email)|
    you\ (?:can|could|may|might)\s+\w+|we\ (?:recommend|suggest|advise)\b|happy\ to\s+\w+|
    working\ (?:on|to)\b|we\ may\s+\w+|just\ let\b|I'd\ (?:email|call|send|ask|speak|talk)\b|
    you\ (?:can|could|may)\s+(?:book|apply|submit|check|ask|raise|set\ up|use|contact|find|
    call|cancel|add|look|try)\b|let\ (?:me|us)\ know\b)"""
)
# "I can hear", "I can imagine", "I can confirm": not steps.
_NOT_STEPS: Final = _words(
    """hear see imagine understand tell feel appreciate relate only assure confirm promise
    guarantee say think"""
)
# Someone else commits (a team, a courier, the parcel): "will arrive", "will call you".
_OTHER_STEP: Final = _rx(
    r"""\b(?:(?<!\bI\ )(?<!\bwe\ )will\s+(?:be\s+|then\s+|also\s+)?(?!not\b)\w+|(?:you|it|they|he|
    she|that|there|someone)'ll\s+(?:see|get|receive|have|hear|be)\b|should\s+(?:arrive|reach|show|
    land|be\ (?:back|with|in|ready))\b|is\ (?:due|booked|scheduled|arriving|coming)\b|arrives\b)"""
)
_VAGUE: Final = _rx(
    r"""\b(?:look\ into|looking\ into|look\ at\ it|try\ to|do\ (?:my|our)\ best|see\ what|
    get\ back\ to\ you|come\ back\ to\ you|be\ in\ touch|in\ due\ course|as\ soon\ as\ (?:possible|
    we\ can|I\ can)|shortly|soon\b|at\ some\ point|let\ (?:me|us)\ know|
    if\ you\ need\ anything|just\ shout|reply\ here|chase|find\ out|pass\ (?:it|this)\ on|
    try\ and|consider|we'll\ see|see\ if|check\ with)\b"""
)
# Instructions left to the reader: a sentence that opens with an imperative (matched at the
# start of each sentence); "you can...", "let us know" and "please..." are in _SUGGEST.
_IMPERATIVE: Final = _rx(
    r"""\W*(?:please\s+)?(?:contact|call|rebook|submit|refer|visit|check|send|complete|raise|log|
    try|use|roll|restart|book|go\ to|open|click|choose|select|reply|email|ring|apply|place|bring|
    provide|follow|just\ follow|speak\ to|talk\ to|ask|keep|re-order|reorder|see\ our|hold|
    unplug)\b"""
)

# Problems.
_BLAMING: Final = _rx(
    r"""\b(?:you\ (?:should|ought\ to)\ have\ (?!to\b|the\b|a\b|an\b|it\b|them\b|your\b|been\b|
    received\b|
    got\b|had\b|heard\b|seen\b|learned\b|learnt\b|found\b)|you\ (?:failed|neglected|forgot)\ to\b|
    you\ (?:did\ not|didn't)\ (?:read|check|follow|allow|submit|say|select|choose|do\ this)\b|
    as\ (?:clearly\ )?(?:stated|outlined|explained|set\ out|indicated|described|specified|
    detailed)\ (?:in|on)\b|(?:is|are|remains?)\ (?:the\ )?(?:customer's|passenger's|
    attendee's|user's|buyer's|guest's|your)\ (?:own\ )?responsibility\b|
    (?:customer|passenger|attendee|user)'s\ responsibility\b|user\ error\b|
    if\ you\ had\ (?:read|checked|followed|listened)\b|you\ need\ to\ be\ more\b|
    reflect\ on\ your\ own\b|your\ own\ (?:part|performance)\b|
    (?:which|that)\ you\ (?:agreed\ to|accepted|signed)\b|which\ you\ did\ not\b|
    approved\ by\ your\ team\b|supplied\ by\ the\ customer\b|activated\ by\ a\ user\b|
    (?:you\ should|should\ you)\ (?:upgrade|read|check|budget|prepare)\b|
    if\ you\ can't\ handle\b|the\ issue\ is\ your\b|
    please\s+(?:double-check|make\ sure|ensure)\ (?:the|you|your|someone)\b|
    please\ check\ (?:you|your)\b|must\ be\ refrigerated\b|caused\ by\ (?:your|user)\b|
    (?<!\bwe\ )(?<!\bI\ )\bshould\ have\ (?:prepared|checked|selected|chosen|discussed|assigned|
    raised|spoken|
    budgeted)\b|was\ there\ a\ reason\ your\b|
    check\ (?:with\ your\ manager|the\ model\ number|your\ details)\b|
    to\ be\ fair\ you\b|which\ you\ agreed\b|it\ is\ the\ \w+'s\ responsibility\b)"""
)
_DISMISSING: Final = _rx(
    r"""\b(?:calm\ down\b|as\ I\ (?:already\ |have\ already\ |previously\ )?(?:said|mentioned|
    explained|stated|told\ you)\b|per\ my\ (?:last|previous)\b|as\ per\ my\b|
    (?:it's|its|it\ is|that's|that\ is)\ not\ (?:a|that)\ (?:big\ deal|bad)\b|not\ a\ big\ deal\b|
    (?:there\ is|there's)\ nothing\ (?:more\ |else\ |further\ )?(?:we|I|anyone)\ can\ do\b|
    nothing\ (?:further|more)?\s*can\ be\ done\b|these\ things\ happen\b|
    (?:\A|(?<=[.!?]\ ))everyone\ (?:is|has|feels|gets|goes)\b|we\ all\ need\b|we're\ all\b|
    bit\ of\ fun\b|
    no\ need\ to\ (?:worry|panic)\b|be\ patient\b|just\ how\ it\ is\b|free\ to\ leave\b|
    none\ of\ our\ business\b|expected\ behaviou?r\b|nothing\ to\ check\b|
    over-?react\w*\b|too\ sensitive\b|I'm\ sure\ (?:she|they|it)\ (?:didn't|doesn't|
    don't|wasn't|means|meant|will\ find)\b|I'm\ sure\ they\ don't\b|
    just\ don't\ overthink\b|don't\ overthink\b|
    can't\ make\ exceptions\b|everyone\ else\b|before\ contacting\ us\ again\b|
    we\ don't\ price\ match\b|not\ in\ the\ business\b|
    (?:value|product|quality|price|pricing)\ speaks\ for\ itself\b|not\ that\ hard\b|
    not\ that\ bad\b|
    get\ over\ it\b|move\ on\b|put\ it\ behind\ you\b|it\ wasn't\ personal\b|
    unfortunately,?\ (?:there\ is|there's|we\ (?:can't|cannot|are\ unable|do\ not|don't))\b|
    (?:it\ is|it's)\ what\ it\ is\b|that's\ just\ how\b|pull\ together\b|
    we\ all\ (?:have|need)\b|just\ turn\b|
    you'll\ be\ fine\b|things\ moved\ on\b|it\ was\ always\ going\b|
    not\ much\ anyone\ can\ do\b|I\ don't\ think\ that's\ true\b|
    people\ are\ free\b|it's\ normal\ that\b|
    it's\ natural\ that\ projects\b|can\ you\ not\b|not\ entitled\b|
    there\ is\ nothing\b|I\ wouldn't\ get\ involved\b|
    please\ wait\b|just\ click\b|that's\ when\ I\b|we\ do\ not\ issue\b|
    will\ reply\ in\ order\b|we\ are\ fully\ compliant\b|
    there's\ no\ need\b|no\ need\ to\ worry\b|must\ be\ (?:made|submitted|approved)\b|
    (?:is|was|isn't|wasn't)\ not\ (?:our|my)\ (?:fault|problem)\b|(?:isn't|wasn't)\ (?:our|my)
    \ (?:fault|problem)\b|not\ our\ responsibility\b|
    could\ you\ block\ it\ out\b|(?:is|are)\ not\ guaranteed\b|(?:isn't|is\ not)\ possible\b|
    come\ back\ when\b|please\ note\b|standard\ (?:process|practice)\b|
    (?:was|is)\ necessary\ for\ the\ business\b|keep\ things\ professional\b|
    not\ let\ it\ affect\b|can\ you\ just\b|meets\ the\ required\b)"""
)
# Ticket-speak and internal terms; acronyms and codes are found separately.
_JARGON_PHRASE: Final = _rx(
    r"""\b(?:escalated\ to\b|(?:tier|level)\ ?[1-3]\b|[LT][1-3]\b|P[0-4]\b|
    queue\b|entitlement\b|reconciliation\b|
    pending\ (?:auth|sign-off)\b|per\ the\ \w+\ (?:process|policy|SLA)\b|per\ policy\b|
    run\ ?book\b|backlog\b|routing\b|pipeline\b|workstream\b|as\ per\ the\b|
    keep-alive\b|config\b|clause\ \d|policy\ [A-Z]{1,4}-?\d|TTL\b|fit\ note\b|
    ETA\b|EOW\b|EOD\b|SLA\b|RMA\b|SKU\b|CSM\b|KPI\b|OKR\b)"""
)
# Upper-case first: the engine then only tries positions holding a capital letter.
_ACRONYM: Final = re.compile(
    r"[A-Z](?<!\w[A-Z])(?:[A-Za-z]*[A-Z][A-Za-z]*|[A-Z]+)(?:-[A-Z0-9.]+)*\b"
)
_CODE: Final = re.compile(
    r"[A-Z](?<!\w[A-Z])[A-Z]{1,5}-?\d+(?:[-.][A-Za-z0-9]+)*\b|#\d[\w-]*-[A-Z]\b"
)
# Boilerplate that also turns up in specific replies: counts half towards template-only.
_SOFT_BOILERPLATE: Final = _rx(
    r"""as\ soon\ as\ possible|is\ being\ processed|in\ due\ course|within\ \d+\ working\ days|
    customer\ services?|within\ 48\ hours"""
)
_STRONG_JARGON: Final = re.compile(r"sla|rma|[lt][1-3]|p[0-4]|escalated to|tier ?[1-3]")
_LETTERS: Final = re.compile(r"[A-Za-z]+")
_CAMEL_NAME: Final = re.compile(r"(?:[A-Z][a-z]+){2,}")
_PLAIN_ACRONYMS: Final = _words(
    """OK UK US USA EU HR IT ID PDF VAT NHS CEO CFO CTO COO TV USB SIM PIN FAQ AM PM DSL
    SSO PR IVF ASAP DIY BBC UN NB PS FYI GDPR LOL BTW DM SMS MOT NI PAYE TBC"""
)
_BOILERPLATE: Final = _rx(
    r"""\b(?:thank\ you\ for\ (?:contacting|your\ (?:message|email|enquiry|
    inquiry|patience|feedback|interest|query|understanding|order|custom|business)|getting\ in
    \ touch|bringing\ this|taking\ the\ time|letting\ us\ know)|(?:we|I)\ (?:sincerely\ )?
    apologi[sz]e\ for\ any|apologies\ for\ any|sorry\ for\ any\b|any\ inconvenience\b|
    (?:apologi[sz]e|sorry)\ for\ the\ (?:inconvenience|delay\ in\ responding)\b|
    (?:your|all)\ (?:feedback|call|business|custom|request|query|satisfaction)\ (?:is|are)
    \ (?:important|valuable|valued|our)|
    (?:the\ )?relevant\ (?:team|department|people)|in\ due\ course\b|as\ soon\ as\ possible\b|
    a\ member\ of\ the\ \w*\ ?team\b|
    (?:please\ )?(?:refer\ to|visit|see|check)\ our\ (?:\w+\ )?(?:policy|policies)\b|
    (?:please\ )?(?:refer\ to|visit|see|check)\ our
    \ (?:website|faq|help\ cent(?:re|er)|pricing\ page|terms|troubleshooting)|have\ a\ (?:nice|
    good|lovely)\ day\b|kind\ regards\b|best\ regards\b|higher\ than\ normal\b|
    sorry\ to\ hear\ about\ your
    \ experience\b|please\ allow\ up\ to\b|
    don't\ hesitate\b|is\ being\ processed\b|subject\ to\ availability\b|
    for\ more\ information\b|for\ details\ of\b|on\ the\ intranet\b|available\ on\ our\b|
    helps\ us\ improve\b|product\ innovation\b|continued\ investment\b|
    please\ find\ attached\b|may\ change\ from\ time\b|have\ you\ tried\ restarting\b|
    if\ the\ problem\ persists\b|please\ contact\ us\ again\b|value\ of\ the\ platform\b|
    customer\ services?\b|within\ 48\ hours\b|within\ \d+\ working\ days\b)"""
)

# Words that carry no situation detail, for the message/reply overlap.
_STOPWORDS: Final = _words(
    """a about above after again against all also am an and any anyone anything are aren't as at
    be because been before being below between both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't down during each even ever every few for from further get
    gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    just let's like me more most much must mustn't my myself no nor not now of off on once only
    or other ought our ours ourselves out over own really same shan't she she'd she'll she's
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up
    us very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's will with won't would wouldn't you you'd you'll
    you're you've your yours yourself yourselves hi hello hey dear thanks thank please sorry
    apologies apologise apologize regards help know need want make made one still yet already
    back way thing things something everything someone anyone people time times day days week
    weeks today yesterday tomorrow ok okay yes yeah sure well going go goes went come came
    tell told say said ask asked asking see seen look right good great new old next last first
    many lot lots bit quite kind team issue problem problems able trying try tried getting
    honestly literally though however since around keep keeps kept put take took give
    gave"""
)
_NUMBER_WORDS: Final = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "sixty": "60", "hundred": "100", "twice": "2", "thrice": "3", "fortnight": "14",
}  # fmt: skip
_WORD: Final = re.compile(r"[^\W\d_][\w']*|\d+(?:[.,]\d+)*")  # letters include "ë", "ñ"
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+|(?<=[;:])\s+(?=[A-Z])")


# ---------------------------------------------------------------------------------------------
# Helpers.


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str  # lower-cased and normalised, same offsets as the reply


_QUOTES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _normalise(text: str) -> str:
    """Curly quotes to straight ones: one character for one, so offsets stay valid."""
    return text.translate(_QUOTES)


def _lower(text: str) -> str:
    """Lower case with the same length (a few characters, like "İ", grow when lower-cased:
    those are kept as they are so that offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _sentences(text: str, low: str) -> list[_Sentence]:
    """Sentences of `text` (split on its original case), carrying the lower-cased text."""
    out: list[_Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _add_sentence(out, low, pos, m.start())
        pos = m.end()
    _add_sentence(out, low, pos, len(text))
    return out


def _add_sentence(out: list[_Sentence], low: str, start: int, end: int) -> None:
    while start < end and low[start].isspace():
        start += 1
    while end > start and low[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(_Sentence(start, end, low[start:end]))


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    w = word.strip("'")
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if w.endswith("'s"):
        w = w[:-2]
    if w[:1].isdigit():
        return w.replace(",", "")
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:5]


def _content_stems(text: str) -> set[str]:
    """Stems of the words that carry content (no stop words), from lower-cased text."""
    stems: set[str] = set()
    for m in _WORD.finditer(text):
        word = m.group()
        if word in _STOPWORDS or (len(word) < 3 and not word[0].isdigit()):
            continue
        stems.add(_stem(word))
    return stems


def _negated(text: str, start: int) -> bool:
    return _NEG_BEFORE.search(text[max(0, start - 30) : start]) is not None


def _inside(offset: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in ranges)


def _span(reply: str, start: int, end: int) -> Span:
    return Span(reply[start:end], start, end)


class _Index:
    """Maps character offsets to sentences."""

    def __init__(self, sentences: Sequence[_Sentence]) -> None:
        self.sentences = sentences
        self._starts = [s.start for s in sentences]

    def at(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)


class _Found:
    """The evidence for one mechanism: its level is the strongest piece found."""

    __slots__ = ("evidence", "level")

    def __init__(self) -> None:
        self.level = 0
        self.evidence: dict[tuple[int, int], int] = {}  # (start, end) -> level

    def add(self, level: int, start: int, end: int) -> None:
        self.level = max(self.level, level)
        key = (start, end)
        self.evidence[key] = max(level, self.evidence.get(key, 0))

    def spans(self, reply: str) -> tuple[Span, ...]:
        """Up to _MAX_SPANS spans, strongest evidence first, returned in reading order."""
        best = sorted(self.evidence.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_SPANS]
        return tuple(_span(reply, a, b) for (a, b), _ in sorted(best))


# ---------------------------------------------------------------------------------------------
# Mechanisms. Each reads the lower-cased reply `low` and records (start, end) evidence.


def _emotional_reaction(
    low: str, idx: _Index, dismissive: set[int], excluded: Sequence[tuple[int, int]]
) -> _Found:
    """Strong: a feeling named or reflected in a real sentence ("that sounds really
    frustrating", "I'd be gutted too"). Weak: generic sympathy ("sorry to hear that", "I
    understand"), or a feeling named inside it ("sorry you're upset")."""
    found = _Found()
    for m in _FEELING.finditer(low):
        si = idx.at(m.start())
        if si in dismissive or _negated(low, m.start()) or _inside(m.start(), excluded):
            continue
        words = idx.sentences[si].text.count(" ") + 1
        generic = _GENERIC_BEFORE.search(low, max(0, m.start() - 40), m.start()) is not None
        found.add(2 if words >= 4 and not generic else 1, m.start(), m.end())
    for m in _SYMPATHY.finditer(low):
        if idx.at(m.start()) not in dismissive and not _inside(m.start(), excluded):
            found.add(1, m.start(), m.end())
    for m in _INTENSE.finditer(low):
        found.add(2, m.start(), m.end())
    return found


def _interpretation(
    low: str, idx: _Index, message_stems: set[str], dismissive: set[int], boilerplate: set[int]
) -> tuple[_Found, int]:
    """Level and evidence, and how many of the message's content words the reply picks up.

    Strong: a you-focused sentence that reflects the situation (a reflection frame, or several
    of the message's own content words), not merely announcing an action. Weak: generic
    understanding ("I understand") or a sentence that picks up the message's content (unless
    the reply blames or dismisses)."""
    found = _Found()
    for m in _UNDERSTAND.finditer(low):
        if idx.at(m.start()) not in dismissive:
            found.add(1, m.start(), m.end())
    reflect = {idx.at(m.start()) for m in _REFLECT.finditer(low)}
    total: set[str] = set()
    # (shared words, sentence, you-focused and not announcing an action, has a reflection frame)
    candidates: list[tuple[int, _Sentence, bool, bool]] = []
    for si, sentence in enumerate(idx.sentences):
        if si in dismissive or si in boilerplate:
            continue
        shared = _content_stems(sentence.text) & message_stems
        if not shared:
            continue
        total |= shared
        about_you = (
            _YOU.search(sentence.text) is not None and _ACTION_START.match(sentence.text) is None
        )
        candidates.append((len(shared), sentence, about_you, si in reflect))
    for shared_n, sentence, about_you, reflective in candidates:
        if about_you and (reflective or (shared_n >= 2 and len(total) >= 4)):
            found.add(2, sentence.start, sentence.end)
        elif not dismissive:
            found.add(1, sentence.start, sentence.end)
    return found, len(total)


def _classify_question(question: str) -> int:
    """0: a suggestion or request dressed as a question; 1: generic, transactional, an offer or a
    choice; 2: an open question about their situation, needs or feelings."""
    if _INVITE.search(question) or _Q_PARTICULAR.search(question):
        return 2
    if _Q_SUGGESTION.match(question):
        return 0
    if _Q_GENERIC.search(question) and question.count(" ") < 6:
        return 1
    if _Q_OFFER.search(question) or _Q_CHOICE.search(question) or _Q_TRANSACTION.search(question):
        return 1
    if _Q_OPEN.search(question):
        return 2
    return 1


_CLAUSE: Final = re.compile(r",\s+(?:and|or|but)\s+")


def _last_clause(sentence: str) -> str:
    """The question itself: what follows the last clause break before the "?"."""
    cut = max(sentence.rfind(": "), sentence.rfind("; "), sentence.rfind(" - "))
    if cut > 0 and len(sentence) - cut > 12:
        return sentence[cut + 1 :].lstrip()
    return sentence


def _exploration(idx: _Index, dismissive: set[int]) -> _Found:
    """Questions (and invitations such as "I'd like to hear more") graded by what they ask."""
    found = _Found()
    for si, sentence in enumerate(idx.sentences):
        if si in dismissive:
            continue
        s = sentence.text
        if s.rstrip().endswith("?"):
            # "Which item was damaged, and would you like a replacement?": the best part counts
            level = max(_classify_question(part) for part in _CLAUSE.split(_last_clause(s)))
            if level:
                found.add(level, sentence.start, sentence.end)
        elif _INVITE.search(s):
            found.add(2, sentence.start, sentence.end)
        elif _ASK_DETAILS.match(s):
            found.add(1, sentence.start, sentence.end)
    return found


def _ownership(
    low: str, idx: _Index, dismissive: set[int], implicated: bool
) -> tuple[_Found, list[tuple[int, int]]]:
    """Level and evidence, plus the non-apologies found (they count as dismissing).

    A bare "I'm sorry" is an apology only when the message is about the replier's side (it
    addresses them, or a service they provide); otherwise it is sympathy, which the emotional
    reaction counts. "Sorry to hear" is a weak apology in the first case."""
    found = _Found()
    non_apologies = [(m.start(), m.end()) for m in _NON_APOLOGY.finditer(low)]
    blocked = list(non_apologies)
    for m in _APOLOGY_NOT.finditer(low):
        if implicated and m.group().startswith("sorry to hear"):
            found.add(1, m.start(), m.end())
        blocked.append((m.start(), m.end()))
    for m in _APOLOGY.finditer(low):
        if _inside(m.start(), blocked):
            continue
        if not implicated and _BARE_SORRY.match(low, m.start()):
            continue
        found.add(1, m.start(), m.end())
    for m in _RESPONSIBILITY.finditer(low):
        if idx.at(m.start()) in dismissive:
            continue
        if _negated(low, m.start()) and not m.group().startswith(("no ", "not ")):
            continue
        found.add(2, m.start(), m.end())
    return found, non_apologies


def _next_step(low: str, idx: _Index, dismissive: set[int]) -> _Found:
    """Strong: an action already taken, or a concrete commitment (a concrete verb, or any verb
    with a time) by the replier or someone named. Weak: a vague promise ("we'll look into it"),
    a hand-off, or instructions left to the reader."""
    found = _Found()
    timed = {idx.at(m.start()) for m in _TIME.finditer(low)}
    vague = {idx.at(m.start()) for m in _VAGUE.finditer(low)}
    handoff = [idx.at(m.start()) for m in _HANDOFF.finditer(low)]
    handoff_set = set(handoff)

    def add(si: int, level: int) -> None:
        if si not in dismissive:
            s = idx.sentences[si]
            found.add(level, s.start, s.end)

    for m in _DONE.finditer(low):
        si = idx.at(m.start())
        add(si, 2 if si not in handoff_set or si in timed else 1)
    for si in handoff:
        add(si, 2 if si in timed and si not in vague else 1)
    for m in _SELF_STEP.finditer(low):
        si = idx.at(m.start())
        verb = next((g for g in m.groups() if g), "")
        if verb in _NOT_STEPS:
            continue
        concrete = verb in _CONCRETE_VERBS
        add(si, 2 if si not in vague and (concrete or si in timed) else 1)
    for m in _OTHER_STEP.finditer(low):
        si = idx.at(m.start())
        add(si, 2 if si in timed and si not in vague else 1)
    for si, sentence in enumerate(idx.sentences):
        if _IMPERATIVE.match(sentence.text):
            add(si, 1)
    for m in _SUGGEST.finditer(low):
        add(idx.at(m.start()), 1)
    return found


# ---------------------------------------------------------------------------------------------
# Problems.


def _jargon(text: str, low: str, message_low: str) -> list[tuple[int, int]]:
    """Internal terms, acronyms and codes that the message itself does not use. One strong hit
    (SLA, L2, a ticket code) or two weaker ones make it jargon."""
    hits: list[tuple[int, int]] = []
    strong = 0
    seen: set[str] = set()
    for m in _JARGON_PHRASE.finditer(low):
        term = m.group().lower()
        if term in message_low or term in seen:
            continue
        seen.add(term)
        hits.append((m.start(), m.end()))
        if _STRONG_JARGON.fullmatch(term):
            strong += 1
    for m in _ACRONYM.finditer(text):
        term = m.group()
        base = term.split("-")[0]
        if (
            base in _PLAIN_ACRONYMS
            or base == "I"
            or term.lower() in message_low
            or term.lower() in seen
            or (term.isupper() and len(term) > 6 and "-" not in term)  # shouting, not an acronym
            or _CAMEL_NAME.fullmatch(term) is not None  # DeShawn, McDonald, LaToya: names
            or (m.start() > 0 and text[m.start() - 1] == "#")
        ):
            continue
        seen.add(term.lower())
        hits.append((m.start(), m.end()))
    for m in _CODE.finditer(text):
        term = m.group()
        letters = _LETTERS.match(term.lstrip("#"))
        if (
            letters is None
            or not letters.group().isupper()
            or len(letters.group()) < 2
            or term.lower() in message_low
            or term.lower() in seen
        ):
            continue
        seen.add(term.lower())
        hits.append((m.start(), m.end()))
        strong += 1
    if strong >= 1 or len(hits) >= 2:
        return sorted(hits)
    return []


# ---------------------------------------------------------------------------------------------
# Scoring.

_ADVICE: Final[dict[str, tuple[str, str]]] = {
    "emotional_reaction": (
        'Acknowledge how they feel: name the feeling you hear, e.g. "I can hear how '
        'frustrating this has been."',
        'Go beyond "sorry to hear that": name the specific feeling (frustrated, worried, let '
        "down) and why it makes sense.",
    ),
    "interpretation": (
        "Show you understood the situation: restate its specifics from their message, e.g. "
        '"so the order arrived damaged after you\'d waited two weeks".',
        "Make your understanding specific: mention the details they gave (what happened, when, "
        "and what it means for them).",
    ),
    "exploration": (
        'Ask an open question about their situation or what would help, e.g. "What would make '
        'this easier for you this week?"',
        'Swap generic or form-filling questions ("Anything else?") for an open question about '
        "their situation, needs or feelings.",
    ),
    "ownership": (
        "Own your side where it applies: apologise for what went wrong and say it is on you, "
        'not "sorry if you feel that way".',
        'Make the apology specific: say what went wrong and that it is yours ("we sent the '
        "wrong size, that's our mistake\").",
    ),
    "next_step": (
        "Give a concrete next step: what you will do, who does it and by when.",
        "Make the next step concrete: who does what, by when (\"I've issued the refund; you'll "
        'see it by Thursday").',
    ),
}
_PROBLEM_ADVICE: Final[dict[str, str]] = {
    "blaming": 'Drop wording that puts the fault on them ("you should have", "as stated in '
    'our terms"); say what happens now instead.',
    "dismissing": 'Don\'t minimise or shut the concern down ("calm down", "as I already said", '
    '"nothing we can do"); acknowledge it and say what you can do.',
    "jargon": "Replace internal terms, acronyms and codes with plain words the reader would use.",
    "template_only": "Replace boilerplate with something specific to their message: what "
    "happened, what it means for them, and what you'll do.",
}
# Summary wording per mechanism: (strong, weak, absent).
_PHRASES: Final[dict[str, tuple[str, str, str]]] = {
    "emotional_reaction": (
        "acknowledges the feeling",
        "offers only generic sympathy",
        "an acknowledgement of the feeling",
    ),
    "interpretation": (
        "shows specific understanding of the situation",
        "shows only generic understanding",
        "a sign that the situation was understood",
    ),
    "exploration": (
        "asks an open question",
        "asks only a generic or form-filling question",
        "a question to learn more",
    ),
    "ownership": ("owns the problem", "apologises only generically", "ownership of the problem"),
    "next_step": ("gives a concrete next step", "gives only a vague next step", "a next step"),
}

# Points per mechanism level, then penalties per problem (fitted by hand on the train split).
_POINTS: Final[dict[str, tuple[float, float]]] = {
    "emotional_reaction": (9.0, 17.0),
    "interpretation": (5.0, 11.0),
    "exploration": (5.0, 12.0),
    "ownership": (2.0, 6.0),
    "next_step": (2.0, 12.0),
}
_PENALTY: Final[dict[str, float]] = {
    "blaming": 19.0,
    "dismissing": 16.0,
    "jargon": 14.0,
    "template_only": 10.0,
}
_BASE: Final = 33.0


def _summary(levels: dict[str, int], problems: Sequence[str], owed: bool) -> str:
    """One sentence: what the reply does, what it lacks, what to watch for. Ownership is only
    called missing when the message is about the replier's side (`owed`)."""
    present = [_PHRASES[n][2 - levels[n]] for n in MECHANISMS if levels[n]]
    absent = [_PHRASES[n][2] for n in MECHANISMS if not levels[n] and (owed or n != "ownership")]
    head = "The reply " + _join(present) if present else "The reply shows no empathy mechanism"
    lacks = ("; it lacks " + _join(absent)) if absent else ""
    names = {"template_only": "template-only wording"}
    watch = ("; watch for " + _join([names.get(p, p) for p in problems])) if problems else ""
    return head + lacks + watch + "."


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def score_reply(message: str, reply: str) -> ReplyScore:
    """How empathetic `reply` is as an answer to `message`, 0-100, with the evidence.

    Spans are character offsets into `reply` (reply[start:end] == span.text). Only the first
    20,000 characters of a reply are read for evidence."""
    if not reply.strip():
        mechanisms = tuple(Mechanism(name=n, level=0, advice=_ADVICE[n][0]) for n in MECHANISMS)
        return ReplyScore(
            score=0,
            mechanisms=mechanisms,
            summary="The reply is empty: acknowledge the feeling, show you understood the "
            "situation and give a concrete next step.",
        )
    text = _normalise(reply[:_MAX_ANALYSED])
    low = _lower(text)
    message_low = _lower(_normalise(message[:_MAX_MESSAGE]))
    idx = _Index(_sentences(text, low))
    message_stems = _content_stems(message_low)

    blame = [(m.start(), m.end()) for m in _BLAMING.finditer(low)]
    dismiss = [(m.start(), m.end()) for m in _DISMISSING.finditer(low)]
    dismissive = {idx.at(a) for a, _ in blame} | {idx.at(a) for a, _ in dismiss}
    boiler = [(m.start(), m.end()) for m in _BOILERPLATE.finditer(low)]
    boiler_sentences = {idx.at(a) for a, _ in boiler}

    implicated = _IMPLICATES.search(message_low) is not None
    ow, non_apologies = _ownership(low, idx, dismissive, implicated)
    excluded = boiler + [
        (idx.sentences[idx.at(a)].start, idx.sentences[idx.at(a)].end) for a, _ in non_apologies
    ]
    found = {
        "emotional_reaction": _emotional_reaction(low, idx, dismissive, excluded),
        "interpretation": _Found(),
        "exploration": _exploration(idx, dismissive),
        "ownership": ow,
        "next_step": _next_step(low, idx, dismissive),
    }
    found["interpretation"], overlap = _interpretation(
        low, idx, message_stems, dismissive, boiler_sentences
    )
    levels = {n: f.level for n, f in found.items()}

    problems: dict[str, list[tuple[int, int]]] = {}
    if blame:
        problems["blaming"] = blame
    if dismiss or non_apologies:
        problems["dismissing"] = dismiss + non_apologies
    jargon = _jargon(text, low, message_low)
    if jargon:
        problems["jargon"] = jargon
    boiler_weight = sum(0.5 if _SOFT_BOILERPLATE.fullmatch(low[a:b]) else 1.0 for a, b in boiler)
    if (
        boiler_weight >= 1
        and overlap <= 2
        and levels["emotional_reaction"] < 2
        and levels["interpretation"] < 2
        and "blaming" not in problems
    ):
        problems["template_only"] = boiler

    score = _BASE + min(overlap, 6) / 3.0
    for n in MECHANISMS:
        if levels[n]:
            score += _POINTS[n][levels[n] - 1]
    if not implicated and not problems:
        # nothing for the replier to own (a bereavement, a colleague's worry): no loss for it
        score += _POINTS["ownership"][1] - (
            _POINTS["ownership"][levels["ownership"] - 1] if levels["ownership"] else 0.0
        )
    for p in problems:
        score -= _PENALTY[p]

    mechanisms = tuple(
        Mechanism(
            name=n,
            level=levels[n],
            spans=found[n].spans(reply),
            advice="" if levels[n] == 2 else _ADVICE[n][levels[n]],
        )
        for n in MECHANISMS
    )
    problem_results = tuple(
        Problem(name=p, spans=_dedupe(reply, problems[p]), advice=_PROBLEM_ADVICE[p])
        for p in PROBLEMS
        if p in problems
    )
    return ReplyScore(
        score=max(0, min(100, round(score))),
        mechanisms=mechanisms,
        problems=problem_results,
        summary=_summary(levels, [p.name for p in problem_results], implicated),
    )


def _dedupe(reply: str, ranges: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
    return tuple(_span(reply, a, b) for a, b in sorted(set(ranges))[:_MAX_SPANS])


# ---------------------------------------------------------------------------------------------
# Evaluation.


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    return ranks


def _pearson(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    if n < 2:
        return 0.0
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation, ties given their average rank."""
    return _pearson(_ranks(x), _ranks(y))


def quadratic_kappa(a: Sequence[int], b: Sequence[int], levels: int = 3) -> float:
    """Cohen's kappa with quadratic weights for two raters on 0..levels-1."""
    n = len(a)
    if n == 0:
        return 0.0
    observed = [[0.0] * levels for _ in range(levels)]
    for i, j in zip(a, b, strict=True):
        observed[i][j] += 1
    ha = [sum(row) for row in observed]
    hb = [sum(observed[i][j] for i in range(levels)) for j in range(levels)]
    num = den = 0.0
    for i in range(levels):
        for j in range(levels):
            w = (i - j) ** 2 / (levels - 1) ** 2
            num += w * observed[i][j]
            den += w * ha[i] * hb[j] / n
    return 1.0 - num / den if den else 1.0


def load_pairs(path: Path | None = None) -> list[dict[str, str]]:
    with (path or DATA_PATH).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def evaluate_reply_scorer(path: Path | None = None, split: str = "heldout") -> dict[str, float]:
    """Agreement of `score_reply` with the labelled pairs of one split ("heldout" by default,
    "train", or "all"): Spearman of the score, per-mechanism exact accuracy, quadratic kappa and
    Spearman, and per-problem precision/recall/F1."""
    rows = [r for r in load_pairs(path) if split == "all" or r["split"] == split]
    results = [score_reply(r["message"], r["reply"]) for r in rows]
    gold = [float(r["score"]) for r in rows]
    pred = [float(s.score) for s in results]
    out: dict[str, float] = {
        "n": float(len(rows)),
        "spearman": spearman(pred, gold),
        "pearson": _pearson(pred, gold),
        "mae": sum(abs(a - b) for a, b in zip(pred, gold, strict=True)) / max(1, len(rows)),
    }
    for name in MECHANISMS:
        g = [int(r[name]) for r in rows]
        p = [s.mechanism(name).level for s in results]
        out[f"{name}_accuracy"] = sum(x == y for x, y in zip(g, p, strict=True)) / max(1, len(g))
        out[f"{name}_kappa"] = quadratic_kappa(p, g)
        out[f"{name}_spearman"] = spearman([float(v) for v in p], [float(v) for v in g])
    for problem in PROBLEMS:
        g_set = [problem in r["problems"].split(";") for r in rows]
        p_set = [any(pr.name == problem for pr in s.problems) for s in results]
        tp = sum(a and b for a, b in zip(g_set, p_set, strict=True))
        fp = sum(b and not a for a, b in zip(g_set, p_set, strict=True))
        fn = sum(a and not b for a, b in zip(g_set, p_set, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f"{problem}_precision"] = precision
        out[f"{problem}_recall"] = recall
        out[f"{problem}_f1"] = f1
    for domain in sorted({r["domain"] for r in rows}):
        keep = [i for i, r in enumerate(rows) if r["domain"] == domain]
        out[f"spearman_{domain}"] = spearman([pred[i] for i in keep], [gold[i] for i in keep])
    return out
