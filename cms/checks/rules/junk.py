"""Rule 11: scraped page furniture (counters, share bars, navigation, bylines, ad labels).

``furniture_spans`` finds furniture inside a line at its own granularity: a whole
line ("Share on Facebook"), a bar of links ("Print | Email | PDF"), or a
fragment at the end of a sentence ("… in 2019. Read more »"), so the ingester
can cut exactly that and keep the prose around it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.text import ArticleText, caseless_finder
from cms.validation import pointer

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}"
    r",?\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})"
)
_NETWORK = r"(?:facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|telegram|email|e-mail)"
_SEP = r"\s*(?:[|·•/–—,]|\s)\s*"
_COUNTER_UNIT = (
    r"(?:views?|reads?|comments?|likes?|shares?|replies|reactions|responses|posts|followers|"
    r"subscribers|plays|listens|upvotes|votes|retweets|reposts|saves)"
)
# A time of day as a page stamps it: "14:32 GMT", "9.15am", "10:05 a.m. ET".
_CLOCK = (
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?:gmt|bst|utc|cet|cest|est|edt|et|pt|pst|"
    r"[a-z]{3}))?"
)
_AGO = (
    r"\d+\s*(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|y|"
    r"years?)\s+ago"
)

# Each pattern matches text that belongs to a web page's chrome, not to an article. Anchored
# ones (^…$) must be the whole line; the others are cut where they stand.
PAGE_FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # Counters: "Comments · 105 Views", "1.2k views", "12 comments", "👁 340"
        rf"\b{_COUNTER_UNIT}\s*[·•|\-–—:]\s*\d[\d,.]*k?\s*{_COUNTER_UNIT}\b",
        rf"^\W*\d[\d,.]*k?\s*{_COUNTER_UNIT}(?:{_SEP}\d[\d,.]*k?\s*{_COUNTER_UNIT})*\W*$",
        rf"\b\d[\d,.]*k?\s+{_COUNTER_UNIT}\s*[·•|]",
        r"^\s*(?:comments?|leave a (?:comment|reply)|reply|add a comment|post a comment|"
        r"\d+\s+responses?)\s*:?\s*$",
        # Share bars: "Share on Facebook", "Share: Facebook Twitter LinkedIn", "Tweet Pin Email"
        rf"\bshare\s+(?:this(?:\s+(?:article|post|page|story))?\s+)?(?:on|via|to)\s+{_NETWORK}\b",
        rf"^\W*share(?:\s+this(?:\s+(?:article|post|page|story))?)?\s*:?(?:{_SEP}{_NETWORK})*\W*$",
        rf"^\W*(?:{_NETWORK}|tweet|pin it|share|print|save|copy link)(?:{_SEP}(?:{_NETWORK}|tweet|"
        r"pin it|share|print|save|copy link|pdf))+\W*$",
        r"^\s*(?:share|tweet|pin it|print|email)\s*$",
        # Print and email bars: "Print | Email | PDF", "Print this page"
        r"^\W*(?:print|email|e-mail|pdf|download)(?:\s*[|·•/]\s*(?:print|email|e-mail|pdf|"
        r"download|save|share|font size|a\+|a-))+\W*$",
        # A control stands alone ("Print this page", "… | Print this page"); in a clause
        # ("you may want to print this page and take it with you") it is advice, not chrome
        r"(?:^|[|·•]\s*)\W*print (?:this|the) (?:page|article)\b(?=\s*(?:[|·•]|\W*$))",
        r"\bemail (?:this|the) (?:page|article) to a friend\b",
        # Navigation: "← Previous article", "Next post »", "Previous: Lupus basics"
        r"^\W*(?:«|‹|←|<)?\s*(?:previous|prev|next|older|newer)\s+(?:article|post|story|page|"
        r"entry)s?\b.*$",
        r"^\W*(?:previous|next)\s*:\s*.{0,80}$",
        r"^\W*(?:«|‹|←)\s*.{0,60}$",
        r"^.{0,60}(?:»|›|→)\W*$",
        r"^\W*(?:back to top|skip to (?:main )?(?:content|navigation|menu|search)|"
        r"skip navigation|home\s*[›>»/]\s*.*|"
        r"you are here:.*)\W*$",
        # Recommendations of other pages: "Read next: …", "Up next: …", "Related: …"
        r"^\W*(?:read next|up next|next up|read also|also read|recommended(?: for you| reading| "
        r"articles| posts)?|related(?: articles| posts| stories| reading| topics| links)?|"
        r"more (?:on|about) this"
        r"(?: topic)?|trending(?: now)?|popular now|don'?t miss|editor'?s picks?|"
        r"keep reading)\s*:.*$",
        # Calls to keep reading, click or subscribe
        r"\b(?:read|see|learn|find out)\s+more\b\s*(?:»|›|→|\.\.\.|…|>>)?(?=\W*$)",
        r"\bread more\s*(?:»|›|→|\.\.\.|…|>>)",
        r"\bclick here\b",
        r"\bcontinue reading\b",
        r"\bsubscribe to (?:our|the) newsletter\b",
        r"\bsign up for (?:our|the) newsletter\b",
        # a list's label ("Related posts", "Related articles »"), not prose about articles
        r"\brelated (?:posts|articles|stories|reading|content)\b(?=\s*(?:[:|·•»›→]|\W*$))",
        r"\byou (?:may|might) also (?:like|enjoy)\b(?!\s+to\b)",  # not "also like to bring…"
        r"\bmost (?:popular|read|viewed|shared|commented|e-?mailed|liked)\s*(?:articles|posts|"
        r"stories)?\s*(?:(?:this|of the) (?:week|month|year)|today|now|right now)?\s*:?\s*$",
        # Comment threads: "Like · Reply · 2h", "Show comments (8)", "3 hours ago"
        rf"^\W*(?:like|reply|share|report|follow|edit|delete|flag|upvote|retweet)(?:\s*[·•|]\s*"
        rf"(?:like|reply|share|report|follow|edit|delete|flag|\d+\s*[smhdwy]|{_AGO}))+\W*$",
        rf"^\W*(?:(?:updated|posted|published|edited|modified)\s+)?{_AGO}\W*$",
        rf"^\W*(?:updated|posted|published|edited|modified|written|shared)\s+{_AGO}\b.{{0,60}}$",
        # What a reader must do to take part: "You must be logged in to post a comment"
        r"^\W*(?:you must |you need to |please )?(?:be )?(?:log|sign)(?:ged|ed)? in to (?:post|"
        r"leave|add|write|comment|reply|continue|read|view|save|see)\b.{0,40}$",
        r"^\W*(?:join|start|enter) (?:the|this|our) (?:discussion|conversation|debate|thread)\W*$",
        r"^\W*leave a (?:reply|comment)\s+cancel reply\W*$",
        r"^\W*\d[\d,.]*k?\s+(?:people|others|users|readers)\s+(?:like|liked|love|loved|"
        r"recommend|shared?)\s+this\W*$",
        r"^\W*(?:show|see|view|load|read) (?:more|less|all)\W*$",
        r"^\W*tagged(?: with)?\s+[\w ,&-]{2,60}$",
        r"^\W*comments? (?:are|is) (?:now )?(?:closed|disabled|off|turned off)\W*$",
        r"^\W*subscribe to (?:get|receive|read)\b.{0,60}$",
        # Gestures on a picture or a player: "Tap to zoom", "Click to enlarge"
        r"^\W*(?:tap|click|pinch|swipe|hover|scroll)(?: here)? to (?:zoom|enlarge|expand|view|play|"
        r"see more|close|open|read more)\W*$",
        # Votes on a page: "1,204 people found this helpful"
        r"^\W*\d[\d,.]*k?\s+(?:people|readers|users|others|members)\s+found this (?:helpful|"
        r"useful|article helpful)\W*$",
        r"^\W*(?:show|hide|view|load|see|read|open)\s+(?:all\s+|more\s+|the\s+)?(?:\d+\s+)?"
        r"(?:comments?|replies|responses)\s*(?:\(\d+\))?\W*$",
        # The page's own controls: "Print-friendly version", "Jump to section", "Download PDF"
        r"^\W*(?:print(?:-friendly| friendly|able)? (?:version|view|page)|jump to (?:section|"
        r"content|navigation|top|comments)|(?:back to |go to )?top of (?:the )?page|listen to "
        r"(?:this|the) (?:article|page|story|post)|bookmark (?:this|the) (?:page|article|post)|"
        r"report an? (?:error|typo|problem|issue|mistake)|download (?:as )?(?:a )?(?:pdf|this "
        r"(?:article|page))|(?:save|email|print|share) (?:this |the )?(?:article|page|story|post)|"
        r"(?:text|font) size(?:\s*:?\s*(?:a\b|a\+|a-|[+-]))*|a\+\s*a-|table of contents|"
        r"in this article|on this page)\W*$",
        # Saving, sending and opening the page elsewhere: "Save for later", "Add to reading
        # list", "Open in new window" (also after a link: "(opens in a new tab)")
        r"^\W*(?:save|read|watch|listen)(?: it| this(?: article| page)?)? (?:for )?later\W*$",
        r"^\W*(?:add to|save to|remove from) (?:my |your )?(?:reading list|favou?rites|"
        r"bookmarks|collection|playlist|library)\W*$",
        r"\(?\bopens? in (?:a )?new (?:window|tab)\)?",
        # Picture credits: "Photo: Getty Images", "Image credit: Shutterstock"
        r"^\W*(?:photo|image|picture|illustration|graphic|photograph|header image|featured image)"
        r"s?(?:\s+(?:credit|source|courtesy))?\s*(?::|©|by\b)\s*.{0,80}$",
        r"^\W*(?:photo |image )?credits?\s*:\s*.{0,80}$",
        r"^\W*©\s*[^\d\W].{0,60}$",
        # Newsletters: "Join our newsletter", "Subscribe for updates"
        r"\b(?:subscribe|sign up|join|get)\s+(?:to\s+|for\s+)?(?:our|the)\s+(?:free\s+|weekly\s+|"
        r"monthly\s+|daily\s+)?(?:newsletter|mailing list|e-?mail updates)\b",
        r"\bsubscribe (?:now|today|for (?:updates|more))\b",
        # Feedback prompts: "Was this article helpful? Yes No", "Rate this article"
        r"\bwas this (?:article|page|information|post) (?:helpful|useful)\b.*$",
        r"\b(?:did you find this (?:article|page|information) (?:helpful|useful))\b.*$",
        r"\brate this (?:article|page|post)\b.*$",
        r"^\W*(?:yes|no)\s*[|/·]?\s*(?:yes|no)\W*$",
        r"\b(?:give|leave|send) (?:us )?(?:your )?feedback\b.*$",
        # Reading time: "5 min read", "Reading time: 4 minutes"
        r"\b\d+\s*(?:-|\s)?\s*min(?:ute)?s?\s+read\b",
        r"\breading time\s*:?\s*\d+\s*(?:min(?:ute)?s?)?",
        r"\best(?:imated)?\.?\s+reading time\b.*$",
        # Tags and categories: "Tags: lupus, stem cells", "Filed under: Health"
        r"^\s*(?:tags?|tagged(?: with)?|categor(?:y|ies)|filed under|topics?|labels?|keywords?)"
        r"\s*:.*$",
        # Bylines with dates: "By Jane Smith | March 3, 2021", "Posted on 12/03/2020 by admin"
        rf"^\W*(?:posted|published|written|updated|last updated|modified)\s+(?:on\s+|:\s*)?"
        rf"(?:{_CLOCK}\s*,?\s*(?:on\s+)?)?{_DATE}.*$",
        # …or with a time of day alone: "Updated 14:32 GMT", "Posted at 9.15am"
        rf"^\W*(?:posted|published|updated|last updated|modified)\s*:?\s+(?:at\s+)?{_CLOCK}\W*$",
        # a byline, not a participle opening a sentence ("Posted on social media, such claims
        # reach…": a comma, then a new subject)
        r"^\W*posted (?:by|on|in)\b(?!.*\b(?:is|are|was|were|has|have|can|may|should|will)\b)"
        r"(?!.*,\s+(?:such|this|these|those|the|a|an|it|they|many|some|most|its|their)\s)"
        r"[^.!?]{0,60}[.!?]?$",
        r"^\W*(?:written|posted|published|authored|reviewed|medically reviewed|fact[- ]checked)"
        r"\s+by\s+"
        r"[\w.'’ -]{2,40}?\s*[|·•]\s*.{0,40}$",
        rf"^\W*(?:(?:written|posted|published|authored|submitted|(?:medically\s+)?reviewed)\s+)?"
        rf"by\s+[\w.'’ -]{{2,60}}?\s*"
        rf"(?:[|·•,–—-]|on)\s*{_DATE}.*$",
        r"^\W*filed under\b.{1,80}$",
        rf"^\W*{_DATE}\s*(?:[|·•,–—-]|by)\s*(?:by\s+)?[\w.'’ -]{{2,60}}\W*$",
        rf"^\W*(?:updated|last updated|last modified|published)\s*:?\s*{_DATE}\W*$",
        # A media player's clock: "0:00 / 12:34", "▶ 3:21", "1:02:33"
        r"^\W*(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\s*/\s*(?:\d{1,2}:)?\d{1,2}:\d{2})?\W*$",
        # Calls of a video's host: "like and subscribe", "hit the subscribe button", "bell icon"
        r"\blike\s*(?:,|and|&|\+)\s*(?:and\s+)?subscribe\b",
        r"\bsubscribe\s*(?:,|and|&|\+)\s*(?:and\s+)?(?:like|share|comment|hit)\b",
        r"\b(?:hit|smash|click|tap|press)\s+(?:that|the)\s+(?:like|subscribe|notification|bell)"
        r"\s+(?:button|icon)\b",
        r"\b(?:bell|notifications?)\s+icon\b",
        # A post embedded from a social network: "A post shared by RegenClinic (@regenclinic)"
        r"^\W*(?:an?\s+)?(?:post|video|photo|reel|tweet|story)\s+shared\s+by\b.{0,80}$",
        r"^.{0,80}\(@\w{2,30}\)(?:\s*[·•|—–-]?\s*.{0,30})?$",
        # A forum member's details and a reply's subject: "Joined: Mar 2019 · Posts: 1,204",
        # "Member since 2017", "Re: Stem cells for MS"
        r"^\W*(?:joined|member since|posts|messages|reputation|karma|threads|location|rank|"
        r"likes received|trophy points)\s*:\s*[^.!?]{1,30}(?:\s*[·•|]\s*[\w ]{2,20}\s*:\s*"
        r"[^.!?·•|]{1,30})*\W*$",
        r"^\W*member since\b.{0,60}$",
        r"^\W*(?:re|fwd?)\s*:\s*\S.{0,120}$",
        # A newsletter's frame: "View this email in your browser", "Forward to a friend",
        # "Unsubscribe | Update your preferences"
        r"\b(?:view|read|open|see)\s+this\s+(?:e-?mail|newsletter|message)\s+(?:online|in\s+"
        r"(?:your|a|the)\s+(?:web\s+)?browser)\b",
        r"^\W*(?:view|read|open|see)\s+(?:it\s+)?(?:online|in\s+(?:your|a|the)\s+(?:web\s+)?"
        r"browser)\W*$",
        r"\btrouble (?:viewing|reading) this (?:e-?mail|newsletter|message)\b",
        r"^\W*(?:forward|send|e-?mail|share)\s+(?:this\s+(?:e-?mail|newsletter|article|page|"
        r"story|post)\s+)?(?:to|with)\s+a\s+(?:friend|colleague)\W*$",
        r"^\W*forward this (?:e-?mail|newsletter|message)\W*$",
        r"^\W*(?:unsubscribe|(?:manage|update|change)\s+(?:your\s+)?(?:e-?mail\s+|subscription\s+|"
        r"communication\s+)?(?:preferences|subscriptions?))\b.{0,60}$",
        # The end of a press release and its notes: "– ENDS –", "###", "-30-", "Notes to editors"
        r"^[\s\-–—#*]*(?:ends?|#{3}|-30-)[\s\-–—#*]*$",
        r"^\W*(?:notes? (?:to|for) editors|editor'?s notes?|media (?:contact|enquiries|"
        r"inquiries))\W*$",
        # Lists of results: "Showing 1–10 of 48 results", "Results 11–20 of 250"
        r"^\W*(?:showing|displaying|viewing)\s+(?:\w+\s+)?\d+(?:\s*[-–]\s*\d+)?\s*(?:of|/)\s*"
        r"\d[\d,]*(?:\s+\w+)?\W*$",
        # Cookie banners and legal footers
        r"\b(?:we use|this (?:site|website) uses|accept(?: all)?) cookies\b.*$",
        r"\bcookie (?:policy|notice|settings|preferences|consent)\b",
        r"\ball rights reserved\b.*$",
        r"^\s*(?:©|\(c\)|copyright)\s*\d{4}.*$",
        r"\bprivacy policy\s*[|·•]\s*terms\b.*$",
        # Advertisement labels: "Advertisement", "Sponsored content", "Ad"
        r"^\W*(?:advertisement|advertising|advertorial|sponsored(?: content| post| by .{0,60})?|"
        r"promoted(?: content)?|paid (?:post|content|partnership)|ad|ads|anzeige|werbung)\W*$",
        r"^\W*(?:continue|article continues|story continues) (?:reading )?(?:below|after)"
        r"(?: (?:the |this )?(?:advertisement|advert|ad))?\W*$",
    )
]


@dataclass(frozen=True, slots=True)
class Furniture:
    start: int
    end: int
    text: str


# Most lines are prose. A whole-line pattern (^…$) is only tried on a short line; a
# pattern that can match inside a line only when the line holds one of its words.
SHORT_LINE = 160
_WHOLE_LINE = [p for p in PAGE_FURNITURE if p.pattern.startswith("^")]
_INSIDE = [p for p in PAGE_FURNITURE if not p.pattern.startswith("^")]
_INSIDE_WORDS = re.compile(
    r"view|read|comment|like|share|repl|reaction|response|print|e-?mail|click|continu|"
    r"subscrib|sign up|related|also|popular|helpful|useful|rate|feedback|min|cookie|rights|"
    r"privacy|posted|newsletter|mailing|window|tab|icon|button|browser",
    re.IGNORECASE,
)
_has_inside_word = caseless_finder(_INSIDE_WORDS)  # ten times faster over a paragraph


# --- Furniture by its shape -------------------------------------------------------------
# A line of chrome is short, makes no statement about health, and is made of the words and
# signs of a page's controls: networks, counters, arrows and bars, "follow", "subscribe",
# "loading", "page 2 of 3", a "read more" in any language.
_NETWORKS = frozenset(["facebook", "twitter", "instagram", "youtube", "tiktok", "linkedin",
                       "whatsapp", "pinterest", "telegram", "snapchat", "reddit", "threads",
                       "mastodon", "bluesky", "rss", "x",
                       # where a podcast or a video is played
                       "spotify", "soundcloud", "stitcher", "deezer", "podcasts", "apple",
                       "google", "vimeo", "twitch"])  # fmt: skip
_CONTROLS = frozenset(["share", "shares", "shared", "like", "likes", "follow", "subscribe",
                       "subscribers", "newsletter", "sign-up", "signup", "login", "log",
                       "register", "comment", "comments", "view", "views", "download", "print",
                       "menu", "search", "home", "back", "top", "next", "previous", "prev",
                       "page", "loading", "load", "scroll", "tweet", "retweet", "pin",
                       "copyright", "credit", "credits", "photo", "image", "cookies", "cookie",
                       "accept", "reject", "more", "read", "continue", "reading", "related",
                       "tags", "category", "categories", "posted", "written", "updated", "by",
                       "channel", "us", "our", "all", "show", "hide", "reply", "replies",
                       "sign", "up", "in", "out", "to", "on", "the", "this", "for", "down",
                       "of", "article", "post", "page", "pdf", "email", "save", "bookmark",
                       "ago", "min", "mins", "minutes", "days", "hours", "a", "an", "and",
                       "watch", "listen", "podcast", "video", "feed", "close", "open",
                       "skip", "jump", "go", "toggle", "notifications", "alerts", "join",
                       "now", "today", "free", "here", "click", "tap", "swipe", "sign",
                       "trending", "conversation", "app", "about", "author", "site", "powered",
                       "report", "ad", "ads", "story", "full", "enlarge", "wordpress",
                       "comment", "thread", "profile", "account", "settings", "sort", "newest",
                       "oldest", "translate", "expand", "collapse", "terms", "use", "privacy",
                       "contact", "viewed", "week", "caption", "send", "kindle", "new",
                       "window", "tab", "get", "later", "slide", "slides", "gallery", "zoom",
                       "navigation", "photos", "images", "pictures", "videos", "recommended",
                       "text", "size", "font", "manage", "consent", "preferences", "sponsored",
                       "advertisement", "promoted", "continues", "friendly", "select",
                       "language", "languages", "unsubscribe", "update", "your", "email",
                       "browser", "quote", "forward", "member", "members", "joined"])  # fmt: skip
_STRONG_CONTROLS = frozenset(["subscribe", "newsletter", "sign-up", "signup", "loading",
                              "scroll", "tweet", "retweet", "login", "likes", "shares",
                              "comments", "views", "menu", "toggle", "notifications",
                              "bookmark", "podcast", "channel", "follow", "trending",
                              "conversation", "app", "search", "author", "ad", "enlarge",
                              "here", "continue", "comment", "powered", "wordpress",
                              "account", "sort", "translate", "expand", "collapse", "caption",
                              "kindle", "viewed", "slide", "gallery", "zoom", "load",
                              "recommended", "preferences", "sponsored", "advertisement",
                              "promoted", "pdf", "unsubscribe", "browser"])  # fmt: skip
_CHROME_SIGNS = re.compile(r"[›»→↑↓←‹«|·•©▼▲▾▴▸►▶]|\.\.\.$|…$")
# "Page 2 of 3", "Image 3 of 12", "Slide 4/10": a counter of a page's pages or pictures.
_PAGE_OF = re.compile(
    r"^\W*(?:page|image|photo|picture|slide|item|results?)\s+\d+(?:\s*[-–]\s*\d+)?\s*(?:of|/)"
    r"\s*\d+\W*$",
    re.IGNORECASE,
)
# "Read more" as other languages write it: scraped from a translated page.
_READ_MORE = re.compile(
    r"^\W*(?:lire la suite|en savoir plus|weiterlesen|mehr lesen|mehr erfahren|leer m[aá]s|"
    r"ver m[aá]s|leggi (?:di pi[uù]|tutto)|lees meer|ler mais|saiba mais|czytaj (?:wi[eę]cej|"
    r"dalej)|l[aä]s mer|læs mere|les mer|lue lisää|devamını oku|читать далее|подробнее|"
    r"続きを読む|阅读更多|더 보기)\W*$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+")
# A line of counts and signs alone, no word: the reactions under a post ("👍 34  💬 5").
_COUNTS_ONLY = re.compile(r"^(?:[\W_]|\d[\d,.]*[kKmM]?(?![^\W\d_]))+$")


def _counted_symbols(line: str) -> bool:
    """Counts beside pictographs or arrows (Unicode symbols), not a bare number or a range."""
    return any(c.isdigit() for c in line) and any(unicodedata.category(c) == "So" for c in line)


def chrome_shape(line: str) -> bool:
    """Whether a whole line has the shape of a page's chrome."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    if _PAGE_OF.match(stripped) or _READ_MORE.match(stripped):
        return True
    if _COUNTS_ONLY.match(stripped) and _counted_symbols(stripped):
        return True  # "❤️ 2.4K  💬 312  ↗️": a post's reactions, counted
    words = [w.lower() for w in _WORDS.findall(stripped)]
    if not words or len(words) > 8 or (stripped.endswith((".", "?", "!")) and len(words) > 3):
        return False  # a sentence, not a control
    lettered = [w for w in words if not w.isdigit()]
    controls = [w for w in lettered if w in _CONTROLS or w in _NETWORKS]
    if len(controls) < len(lettered) - 1:
        return False  # other words than a control's: prose, or a heading
    strong = any(w in _STRONG_CONTROLS or w in _NETWORKS for w in lettered)
    signed = _CHROME_SIGNS.search(stripped) is not None
    # a control with its count: "Show 14 more replies", "View all 27 photos"
    counted = (
        lettered[:1] in (["show"], ["view"], ["load"], ["see"], ["hide"], ["expand"], ["open"])
        and len(controls) == len(lettered) <= 4
        and len(lettered) < len(words)
    )
    return strong or (signed and bool(controls)) or counted


@functools.lru_cache(maxsize=50_000)
def furniture_spans(line: str) -> tuple[Furniture, ...]:
    """The page furniture in a line, each piece where it stands (merged when they touch)."""
    if chrome_shape(line):
        text = line.strip()
        return (Furniture(line.index(text), line.index(text) + len(text), text),)
    patterns = _WHOLE_LINE if len(line) <= SHORT_LINE else []
    if _has_inside_word(line):
        patterns = [*patterns, *_INSIDE]
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(line):
            if match.end() > match.start() and match.group(0).strip():
                found.append((match.start(), match.end()))
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Furniture(s, e, line[s:e].strip()) for s, e in merged)


def furniture_in(line: str) -> str | None:
    """The first piece of page furniture a line contains, or None."""
    spans = furniture_spans(line)
    return spans[0].text if spans else None


@rule(
    "page-junk",
    title="No scraped page furniture",
    why="Leftovers such as “Comments · 105 Views”, “Share on Facebook”, “5 min read” or "
    "“← Previous article” show unedited, scraped content.",
    codes=[
        Code(
            "junk.page_furniture",
            "error",
            "Text from a web page's chrome: counters, share and print bars, previous/next "
            "navigation, feedback prompts, reading time, tags and categories, bylines with "
            "dates, advertisement labels, cookie notices; a media player's clock, embedded "
            "posts and their reactions, forum profiles and reply subjects, a newsletter's "
            "frame, the end of a press release.",
        )
    ],
    flags=["Comments · 105 Views", "Share: Facebook | Twitter | LinkedIn", "5 min read",
           "By Jane Smith | March 3, 2021", "Was this article helpful? Yes No",
           "Follow us on Instagram", "Page 2 of 3", "Lire la suite", "Save for later",
           "You must be logged in to post a comment.", "Image 3 of 12", "Show 14 more replies",
           "0:00 / 12:34", "View this email in your browser", "– ENDS –",
           "Joined: Mar 2019 · Posts: 1,204"],
    passes=["Patients share their experience with their doctors.",
            "Read the leaflet your pharmacist gives you before the first dose.",
            "Posted on a clinic's website, such claims are checked by nobody.",
            "Back pain is common after the harvest.",
            "You may want to print this page and take it to your appointment.",
            "Save a copy of your discharge letter for your GP.",
            "Follow up after 6 weeks with your GP.",
            "Press the call bell if you need a nurse.",
            "Forward your discharge letter to your GP."],
)  # fmt: skip
def page_junk(text: ArticleText) -> Iterator[Finding]:
    fields = [("/title", text.document["title"]), ("/summary", text.document["summary"])]
    for index, section in text.sections():
        fields.append((pointer("sections", index, "heading"), section["heading"]))
        fields.append((pointer("sections", index, "body"), section["body"]))
    for field_pointer, value in fields:
        for line in value.splitlines():
            for piece in furniture_spans(line):
                yield Finding(
                    "junk.page_furniture",
                    Severity.ERROR,
                    field_pointer,
                    f"Page furniture, not article text: {quote(piece.text)} in {quote(line, 80)}.",
                    quote=piece.text,
                )
