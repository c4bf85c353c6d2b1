"""Every component id in one place, prefixed by page, so a typo fails at import."""

# Shell
URL = "shell-url"
ROOT = "shell-root"
CONTENT = "shell-content"
NAV = "shell-nav"
THEME_TOGGLE = "shell-theme-toggle"
LANGUAGE_SWITCHER = "shell-language"
GLOSSARY_LINK = "shell-glossary"
DATA_LANGUAGE = "shell-data-language"  # which data labels are not in the page's language
ABOUT_TRANSLATIONS_LINK = "shell-about-translations"
LANGUAGES = "shell-languages"  # the switcher's links, their hrefs following the address in the browser
THEME = "shell-theme"  # the address's theme, read in the browser: the router renders again when it changes
LINK_TARGETS = "shell-link-targets"  # the navigation's paths and the languages, for the links' hrefs


def language_link(code: str) -> str:
    return f"shell-lang-{code}"


TITLE_SINK = "shell-title-sink"
RENDERED = "shell-rendered"  # path and theme of the page on screen


def nav_link(page: str) -> str:
    return f"shell-nav-{page}"


# Overview
OVERVIEW_MAP = "overview-map"

# Data
DATA_TABLES = "data-tables"
DATA_REPORT = "data-report"

# Workshop: set-up /workshop, phone /workshop/join, /workshop/facilitate, projector /workshop/present
WORKSHOP_TITLE = "workshop-title"
WORKSHOP_AGENDA = "workshop-agenda"
WORKSHOP_ROUNDS = "workshop-rounds"
WORKSHOP_CREATE = "workshop-create"
WORKSHOP_CREATED = "workshop-created"
WORKSHOP_SIGN_IN = "workshop-sign-in"
WORKSHOP_JOIN_CODE = "workshop-join-code"
WORKSHOP_JOIN_PILOT = "workshop-join-pilot"
WORKSHOP_JOIN_STAKEHOLDER = "workshop-join-stakeholder"
WORKSHOP_JOIN_BUTTON = "workshop-join-button"
WORKSHOP_JOIN_FORM = "workshop-join-form"
WORKSHOP_JOIN_MESSAGE = "workshop-join-message"
WORKSHOP_TOKEN = "workshop-token"  # participant token in the phone's local storage (checked on the server)
WORKSHOP_VOTE_PULSE = "workshop-vote-pulse"  # the room's version as the phone's script last read it
WORKSHOP_VOTE_SEEN = "workshop-vote-seen"  # what the phone last drew: the room's version, a timer
WORKSHOP_VOTE_PANEL = "workshop-vote-panel"
WORKSHOP_VOTE_ITEM = "workshop-vote-item"
WORKSHOP_VOTE_STATE = "workshop-vote-state"
WORKSHOP_VOTE_POSITION = "workshop-vote-position"
WORKSHOP_CONFIDENCE = "workshop-confidence"
WORKSHOP_COMMENT = "workshop-comment"
WORKSHOP_VOTE_FEEDBACK = "workshop-vote-feedback"
WORKSHOP_FAC_ID = "workshop-fac-id"
WORKSHOP_FAC_KEY = "workshop-fac-key"
WORKSHOP_FAC_PREV = "workshop-fac-prev"
WORKSHOP_FAC_NEXT = "workshop-fac-next"
WORKSHOP_FAC_OPEN = "workshop-fac-open"
WORKSHOP_FAC_CLOSE = "workshop-fac-close"
WORKSHOP_FAC_REVEAL = "workshop-fac-reveal"
WORKSHOP_FAC_HIDE = "workshop-fac-hide"
WORKSHOP_FAC_TIMER_SECONDS = "workshop-fac-timer-seconds"
WORKSHOP_FAC_TIMER = "workshop-fac-timer"
WORKSHOP_FAC_ROUND = "workshop-fac-round"
WORKSHOP_FAC_STATUS = "workshop-fac-status"
WORKSHOP_FAC_REASON = "workshop-fac-reason"
WORKSHOP_FAC_BY = "workshop-fac-by"
WORKSHOP_FAC_OVERRIDE = "workshop-fac-override"
WORKSHOP_FAC_MESSAGE = "workshop-fac-message"
WORKSHOP_FAC_TICK = "workshop-fac-tick"  # bumped after each action so the view re-reads at once
WORKSHOP_FAC_POLL = "workshop-fac-poll"
WORKSHOP_FAC_VIEW = "workshop-fac-view"
WORKSHOP_FAC_VIEW_HASH = "workshop-fac-view-hash"
WORKSHOP_FAC_EXPORT_CSV = "workshop-fac-export-csv"
WORKSHOP_FAC_EXPORT_MD = "workshop-fac-export-md"
WORKSHOP_FAC_EXPORT_HTML = "workshop-fac-export-html"
WORKSHOP_FAC_DOWNLOAD = "workshop-fac-download"
WORKSHOP_PRESENT_ID = "workshop-present-id"
WORKSHOP_PRESENT_POLL = "workshop-present-poll"
WORKSHOP_PRESENT_PULSE = "workshop-present-pulse"  # set by assets/40-workshop.js when the room moves
WORKSHOP_PRESENT_BODY = "workshop-present-body"
WORKSHOP_PRESENT_HASH = "workshop-present-hash"
WORKSHOP_PRESENT_GRAPH = "workshop-present-graph"
WORKSHOP_FAC_GRAPH = "workshop-fac-graph"
WORKSHOP_CREATED_FACILITATE = "workshop-created-facilitate"
WORKSHOP_CREATED_PRESENT = "workshop-created-present"
WORKSHOP_CREATED_JOIN = "workshop-created-join"
# Issue 10: evidence drawn in the room, the phone's one send button, the set-up picker, practice mode.
WORKSHOP_SLIDE_GRAPH = "workshop-slide-graph"  # a saved Compare / Governance view, or a lesson's chart
WORKSHOP_SLIDE_NETWORK = "workshop-slide-network"  # a saved Networks view (cytoscape)
# On a phone the slide's marks can be tapped to say what a vote is about: its own ids, so a tap on the
# facilitator's or the projector's chart never reaches the phone's ballot.
WORKSHOP_PICK_GRAPH = "workshop-pick-graph"
WORKSHOP_PICK_NETWORK = "workshop-pick-network"
WORKSHOP_MARK = "workshop-mark"  # the select: which mark of the slide the vote is about
WORKSHOP_MARK_FIELD = "workshop-mark-field"
WORKSHOP_VOTE_EVIDENCE = "workshop-vote-evidence"  # the phone: the item's claim and a compact evidence view
WORKSHOP_SEND = "workshop-send"  # sends the composed vote (assets/workshop.js, through the JSON API)
WORKSHOP_SEND_STATUS = "workshop-send-status"  # written by assets/workshop.js: stored, or kept and retried
WORKSHOP_VOTE_MARK = "workshop-vote-mark"  # the mark a vote is attached to (a pilot, an actor), or ""
WORKSHOP_STANCE = "workshop-stance-choice"  # native radios: stance composed first, sent with WORKSHOP_SEND
WORKSHOP_BALLOT = "workshop-ballot"
WORKSHOP_PICKER = "workshop-picker"
WORKSHOP_PICKER_ADD = "workshop-picker-add"
WORKSHOP_PRACTICE = "workshop-practice"
WORKSHOP_FAC_STATUS_LINE = "workshop-fac-status-line"  # redrawn alone while a timer runs
WORKSHOP_FAC_AGENDA = "workshop-fac-agenda"  # redrawn only when the agenda or the current item changes
WORKSHOP_FAC_AGENDA_HASH = "workshop-fac-agenda-hash"
WORKSHOP_FAC_STATUS_HASH = "workshop-fac-status-hash"


def workshop_stance(stance: str) -> dict:
    return {"type": "workshop-stance", "stance": stance}


def workshop_goto(position: int) -> dict:
    return {"type": "workshop-goto", "position": position}


def workshop_hide_comment(vote_id: int) -> dict:
    return {"type": "workshop-hide-comment", "comment": vote_id}


# Compare
COMPARE_NOTICE = "compare-notice"
COMPARE_INDICATORS = "compare-indicators"
COMPARE_PILOTS = "compare-pilots"
COMPARE_FROM = "compare-from"
COMPARE_TO = "compare-to"
COMPARE_GROUP = "compare-group"
COMPARE_MODE = "compare-mode"
COMPARE_FORM = "compare-form"
COMPARE_GRAPH = "compare-graph"
COMPARE_BADGE = "compare-badge"
COMPARE_SUMMARY = "compare-summary"
COMPARE_TABLE = "compare-table"
COMPARE_SOURCES = "compare-sources"
COMPARE_CSV = "compare-csv"
COMPARE_DOWNLOAD = "compare-download"
COMPARE_PNG = "compare-png"
COMPARE_SVG = "compare-svg"
COMPARE_EXPORT_SINK = "compare-export-sink"


# Lessons: list and lesson (/lessons), governance models (/lessons/governance), roadmap (/lessons/roadmap)
LESSONS_PAGE = "lessons-page"
LESSONS_SHOWN = "lessons-shown"  # the canonical query of the view on screen
LESSONS_NOTICES = "lessons-notices"
LESSONS_TOPIC = "lessons-topic"  # "theme" in the users' words; the URL calls it topic (theme= is the display)
LESSONS_PILOT = "lessons-pilot"
LESSONS_STATUS = "lessons-status"
LESSONS_STRENGTH = "lessons-strength"
LESSONS_COUNT = "lessons-count"
LESSONS_LIST = "lessons-list"
LESSONS_NETWORK_TABLE = "lessons-network-table"
LESSONS_HISTORY = "lessons-history"
LESSONS_HOW_TO_READ = "lessons-how-to-read"  # the strength and status definitions, on every Lessons page
LESSONS_GOV_MATRIX = "lessons-governance-matrix"
LESSONS_GOV_TABLE = "lessons-governance-table"
LESSONS_GOV_SCATTER = "lessons-governance-scatter"
LESSONS_GOV_COMPARISON = "lessons-governance-comparison"
LESSONS_GOV_UNCLASSIFIED = "lessons-governance-unclassified"
LESSONS_ROADMAP_SCOPE = "lessons-roadmap-scope"
LESSONS_ROADMAP_BODY = "lessons-roadmap-body"
LESSONS_ROADMAP_MD = "lessons-roadmap-md"
LESSONS_ROADMAP_HTML = "lessons-roadmap-html"
LESSONS_ROADMAP_DOWNLOAD = "lessons-roadmap-download"
LESSONS_ROADMAP_PRINT = "lessons-roadmap-print"
LESSONS_PRINT_SINK = "lessons-print-sink"


def lessons_indicator_graph(indicator_id: str) -> str:
    return f"lessons-indicator-{indicator_id}"


def lessons_network_graph(pilot_id: str) -> str:
    return f"lessons-network-{pilot_id}"


# Networks
NETWORKS_NOTICES = "networks-notices"
NETWORKS_PILOT = "networks-pilot"
NETWORKS_PHASE = "networks-phase"
NETWORKS_BEFORE = "networks-before"  # "what changed": the earlier phase to compare with
NETWORKS_SECTORS = "networks-sectors"
NETWORKS_RELATIONS = "networks-relations"
NETWORKS_FIND = "networks-find"
NETWORKS_FIND_OPTIONS = "networks-find-options"
NETWORKS_FIND_HINT = "networks-find-hint"
NETWORKS_STEPS = "networks-steps"
NETWORKS_SIZE = "networks-size"
NETWORKS_VIEW = "networks-view"
NETWORKS_CLEAR = "networks-clear-focus"
NETWORKS_MODE = "networks-mode"  # which drawing is on screen, said in words
NETWORKS_CYTO_BOX = "networks-cyto-box"
NETWORKS_CYTO = "networks-cyto"
NETWORKS_WEBGL_BOX = "networks-webgl-box"
NETWORKS_WEBGL = "networks-webgl"
NETWORKS_LEGEND = "networks-legend"
NETWORKS_PANEL = "networks-panel"
NETWORKS_METRICS = "networks-metrics"
NETWORKS_SUMMARY = "networks-summary"
NETWORKS_DIFF = "networks-diff"
NETWORKS_TABLE = "networks-table"
NETWORKS_TABLE_PAGE = "networks-table-page"  # dcc.Store: the page of the actors' table shown
NETWORKS_TABLE_STATUS = "networks-table-status"  # "Page 1 of 200: actors 1–50 of 10,000"
NETWORKS_TABLE_FIRST = "networks-table-first"
NETWORKS_TABLE_PREV = "networks-table-prev"
NETWORKS_TABLE_NEXT = "networks-table-next"
NETWORKS_TABLE_LAST = "networks-table-last"
NETWORKS_DRAW_ALL = "networks-draw-all"  # button of the grouped first view: draw every actor
NETWORKS_DRAWN = "networks-drawn"  # dcc.Store: what the drawing shows, so a change is sent as a Patch
NETWORKS_PNG = "networks-png"
NETWORKS_SVG = "networks-svg"
NETWORKS_CSV = "networks-csv"
NETWORKS_DOWNLOAD = "networks-download"
NETWORKS_COMPARE_SECTION = "networks-compare"  # All pilots compared, drawn when the reader is near
NETWORKS_COMPARE_NEAR = "networks-compare-near"  # store: true once the section is near the viewport
NETWORKS_COMPARE_CHART = "networks-compare-chart"
NETWORKS_COMPARE_TABLE = "networks-compare-table"
NETWORKS_MULTIPLES = "networks-multiples"
NETWORKS_COMPARE_TABLE_BODY = "networks-compare-table-body"  # the <table> of every pilot's metrics
NETWORKS_COMPARE_CSV = "networks-compare-csv"  # button: every pilot's metrics as CSV
NETWORKS_COMPARE_DOWNLOAD = "networks-compare-download"
NETWORKS_PANEL_TITLE = "networks-panel-title"
NETWORKS_COMPARE_FIGURE = "networks-compare-figure"
NETWORKS_MULTIPLES_FIGURE = "networks-multiples-figure"
# A large network's first analysis, in the background: asked for, progress while it runs, done.
NETWORKS_JOB = "networks-job"  # dcc.Store: the pilot and phase the drawing waits for
NETWORKS_READY = "networks-ready"  # dcc.Store: written by the background job when it is done
NETWORKS_PROGRESS_BOX = "networks-progress-box"
NETWORKS_PROGRESS = "networks-progress"  # <progress>
NETWORKS_PROGRESS_TEXT = "networks-progress-text"  # what it does and about how long it still takes
NETWORKS_PROGRESS_POLL = "networks-progress-poll"  # dcc.Interval, enabled while the job runs
NETWORKS_RETRY = "networks-retry"  # dcc.Interval, enabled while the background service is unreachable

# Snapshots: "Publish this view" on the publishable pages, the snapshot page /s/<id>, the Data page list
PUBLISH_BOX = "publish-box"
PUBLISH_BUTTON = "publish-button"
PUBLISH_STATUS = "publish-status"
SNAPSHOT_HEADER = "snapshot-header"
SNAPSHOT_BODY = "snapshot-body"
SNAPSHOT_CITATION = "snapshot-citation"
SNAPSHOT_BIBTEX = "snapshot-bibtex"
SNAPSHOT_COPY_CITATION = "snapshot-copy-citation"
SNAPSHOT_COPY_BIBTEX = "snapshot-copy-bibtex"
SNAPSHOT_PNG = "snapshot-png"
SNAPSHOT_SVG = "snapshot-svg"
SNAPSHOT_PRINT = "snapshot-print"
SNAPSHOT_SINK = "snapshot-sink"
SNAPSHOT_GRAPH = "snapshot-graph"
SNAPSHOT_CYTO = "snapshot-cyto"
SNAPSHOT_CYTO_PNG = "snapshot-cyto-png"
SNAPSHOT_CYTO_SVG = "snapshot-cyto-svg"
SNAPSHOT_LIST = "snapshot-list"

# --- the admin page and the account area ---------------------------------------------------------
ACCOUNT_AREA = "shell-account"
SIGN_IN_LINK = "shell-sign-in"
SIGN_OUT = "shell-sign-out"
ADMIN_LINK = "shell-admin"
ADMIN_ACCOUNTS = "admin-accounts"
ADMIN_INVITATIONS = "admin-invitations"
ADMIN_AUDIT = "admin-audit"
ADMIN_LISTS = "admin-lists"
ADMIN_INVITE_EMAIL = "admin-invite-email"
ADMIN_INVITE_ROLE = "admin-invite-role"
ADMIN_INVITE = "admin-invite"
ADMIN_INVITE_RESULT = "admin-invite-result"
ADMIN_ACCOUNT = "admin-account"
ADMIN_ROLE = "admin-role"
ADMIN_SET_ROLE = "admin-set-role"
ADMIN_DISABLE = "admin-disable"
ADMIN_ENABLE = "admin-enable"
ADMIN_CHANGE_RESULT = "admin-change-result"

# Data: dataset versions (upload, diff, activation; crosspilot/versions)
DATA_VERSIONS = "data-versions"  # the list of versions, redrawn after an activation
DATA_VERSIONS_STATUS = "data-versions-status"  # what an activation did, or why it was refused
DATA_UPLOAD = "data-upload"
DATA_UPLOAD_LABEL = "data-upload-label"
DATA_UPLOAD_NOTE = "data-upload-note"
DATA_UPLOAD_RESULT = "data-upload-result"  # the report and the diff of the upload
DATA_STAGED = "data-staged"  # the checked upload's files (a manifest), checked again on the server
DATA_ACTIVATE_UPLOAD = "data-activate-upload"
DATA_SWITCH_TARGET = "data-switch-target"
DATA_SWITCH_ASK = "data-switch-ask"  # "Serve this version…?" with Yes and Cancel
DATA_SWITCH_CONFIRM = "data-switch-confirm"
DATA_SWITCH_CANCEL = "data-switch-cancel"
DATA_FOLLOW_FAILURE = "data-follow-failure"


def data_activate(version: str) -> dict:
    """A version's Activate button on /data: `version` is its id, or "folder"."""
    return {"type": "data-activate", "version": version}
