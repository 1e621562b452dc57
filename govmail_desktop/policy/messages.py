"""Every user- and admin-visible text of the policy layer, marked for translation.

Kept in one place so that the Thai wording of the same thing stays the same
everywhere, and so tests can check that each has a Thai translation.
"""

from __future__ import annotations

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP

# -- connection refusals (server.py) ------------------------------------------
HOST_INVALID = QT_TRANSLATE_NOOP("Policy", "“{host}” is not a valid server name.")
HOST_INVALID_HINT = QT_TRANSLATE_NOOP("Policy", "Please check the server name in the account settings.")
HOST_NOT_ALLOWED = QT_TRANSLATE_NOOP(
    "Policy", "The server {host} is not on the list of servers your agency allows."
)
HOST_NOT_ALLOWED_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "Please use your agency's mail server, or contact your IT staff if this server should be allowed.",
)
HOST_DENIED = QT_TRANSLATE_NOOP(
    "Policy", "The server {host} belongs to a mail service that official mail may not use ({rule})."
)
HOST_DENIED_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "Official mail must stay on government servers in Thailand (Cabinet resolution of "
    "18 December 2007). Please use your agency's e-mail account.",
)
ADDRESS_INVALID = QT_TRANSLATE_NOOP("Policy", "“{ip}” is not a valid network address for the server {host}.")
ADDRESS_NOT_THAILAND = QT_TRANSLATE_NOOP(
    "Policy",
    "The server {host} is at the address {ip}, which is registered outside Thailand ({country}).",
)
ADDRESS_NOT_THAILAND_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "Official mail must stay on servers in Thailand. If this server is correct, "
    "please contact your IT staff; they can list its address range in the policy.",
)
ADDRESS_PRIVATE = QT_TRANSLATE_NOOP(
    "Policy",
    "The server {host} is at a local or private address ({ip}) that the policy does not allow.",
)
ADDRESS_PRIVATE_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "If this is your agency's internal server, your IT staff can list its address range in the policy.",
)
ADDRESS_UNKNOWN = QT_TRANSLATE_NOOP(
    "Policy",
    "It is not known in which country the address {ip} of the server {host} is registered.",
)
POLICY_INVALID = QT_TRANSLATE_NOOP(
    "Policy", "No connection was made because the agency's mail policy is invalid: {problem}."
)
POLICY_INVALID_HINT = QT_TRANSLATE_NOOP(
    "Policy", "Please contact your IT staff to correct the policy (govmail-admin policy validate)."
)
ACCOUNT_INVALID = QT_TRANSLATE_NOOP("Policy", "“{address}” is not a valid e-mail address.")
ACCOUNT_DOMAIN = QT_TRANSLATE_NOOP(
    "Policy", "The address {address} is not in a domain your agency allows for mail accounts."
)
ACCOUNT_DOMAIN_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "Please use your government e-mail address (for example name@agency.go.th), "
    "or contact your IT staff.",
)
ACCOUNT_DENIED = QT_TRANSLATE_NOOP(
    "Policy", "The address {address} belongs to a mail service that official mail may not use."
)

# -- the whole policy is broken (sources.py) ----------------------------------
POLICY_ERROR = QT_TRANSLATE_NOOP("Policy", "The agency's mail policy is invalid: {problem}.")
POLICY_ERROR_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "No connections will be made until the IT staff correct the policy. Please contact your IT staff.",
)
PROBLEM_AT = QT_TRANSLATE_NOOP("Policy", "{source}, key {key}: {problem}")
PROBLEM_IN = QT_TRANSLATE_NOOP("Policy", "{source}: {problem}")
DEFAULT_SOURCE = QT_TRANSLATE_NOOP("Policy", "built-in default")

# -- validation problems (schema.py, sources.py) ------------------------------
P_UNKNOWN_KEY = QT_TRANSLATE_NOOP("Policy", "unknown key (known keys: {known})")
P_DUPLICATE_KEY = QT_TRANSLATE_NOOP("Policy", "the key “{name}” appears more than once")
P_EXPECTED = QT_TRANSLATE_NOOP("Policy", "expected {expected}, found {found}")
P_NOT_ONE_OF = QT_TRANSLATE_NOOP("Policy", "“{value}” is not one of: {choices}")
P_OUT_OF_RANGE = QT_TRANSLATE_NOOP("Policy", "{value} is out of range ({minimum} to {maximum})")
P_BAD_HOST = QT_TRANSLATE_NOOP("Policy", "“{value}” is not a valid host name or pattern ({reason})")
P_BAD_DOMAIN = QT_TRANSLATE_NOOP("Policy", "“{value}” is not a valid domain or pattern ({reason})")
P_BAD_CIDR = QT_TRANSLATE_NOOP("Policy", "“{value}” is not a valid address range such as 10.20.0.0/16")
P_CIDR_HOST_BITS = QT_TRANSLATE_NOOP("Policy", "“{value}” has host bits set; did you mean {suggestion}?")
P_CIDR_TOO_BROAD = QT_TRANSLATE_NOOP(
    "Policy",
    "“{value}” is too broad (shorter than /{minimum}); it would switch off the Thailand check",
)
P_BAD_PIN = QT_TRANSLATE_NOOP(
    "Policy", "“{value}” is not a base64 SHA-256 pin of a public key (44 characters ending in =)"
)
P_BAD_EXTENSION = QT_TRANSLATE_NOOP("Policy", "“{value}” is not a file extension such as .exe")
P_EMPTY_TEXT = QT_TRANSLATE_NOOP("Policy", "must not be empty")
P_CA_MISSING = QT_TRANSLATE_NOOP("Policy", "the CA file {path} does not exist or is not a file")
P_CA_RELATIVE = QT_TRANSLATE_NOOP("Policy", "the CA file must be an absolute path here: {path}")
P_SCHEMA_MISSING = QT_TRANSLATE_NOOP("Policy", "schema_version is missing (this version understands {supported})")
P_SCHEMA_NEWER = QT_TRANSLATE_NOOP(
    "Policy",
    "schema version {found} is not supported (this version of GovMail understands {supported})",
)
P_JSON_SYNTAX = QT_TRANSLATE_NOOP("Policy", "not valid JSON at line {line}, column {column}: {reason}")
P_TOP_NOT_OBJECT = QT_TRANSLATE_NOOP("Policy", "the file must contain one JSON object {{ … }}")
P_UNREADABLE = QT_TRANSLATE_NOOP("Policy", "the file cannot be read: {reason}")
P_NOT_UTF8 = QT_TRANSLATE_NOOP("Policy", "the file is not UTF-8 text")
P_INSECURE_FILE = QT_TRANSLATE_NOOP(
    "Policy",
    "the file can be changed by users other than the administrator (owner uid {uid}, mode {mode}); "
    "it must be owned by root and writable only by root",
)
P_UNKNOWN_SETTING = QT_TRANSLATE_NOOP("Policy", "unknown setting (known settings: {known})")
P_BAD_SETTING_VALUE = QT_TRANSLATE_NOOP("Policy", "{value} is not a valid value for this setting ({reason})")
P_LOCKED_HOST_REFUSED = QT_TRANSLATE_NOOP(
    "Policy", "the locked server {host} is refused by this policy's own server rules ({reason})"
)
P_TOO_LARGE = QT_TRANSLATE_NOOP(
    "Policy", "the file is larger than {maximum} KiB (a policy file is a few kilobytes)"
)
P_NOT_REGULAR_FILE = QT_TRANSLATE_NOOP("Policy", "not a regular file")
P_TOO_DEEP = QT_TRANSLATE_NOOP("Policy", "values are nested more than {maximum} levels deep")
P_NUMBER_TOO_LONG = QT_TRANSLATE_NOOP("Policy", "a number has more than {maximum} digits")
P_NOT_UNICODE = QT_TRANSLATE_NOOP("Policy", "contains text that is not valid Unicode (an unpaired surrogate escape)")
P_TOO_MANY_ENTRIES = QT_TRANSLATE_NOOP("Policy", "the list has {count} entries; at most {maximum} are allowed")
P_CIDR_TRANSLATION = QT_TRANSLATE_NOOP(
    "Policy",
    "“{value}” overlaps {prefix} ({kind}), whose addresses lead to IPv4 addresses; "
    "list the IPv4 range itself instead",
)
P_CIDRS_TOO_BROAD_TOGETHER = QT_TRANSLATE_NOOP(
    "Policy",
    "the {family} ranges together cover more addresses outside local and private networks "
    "than one /{minimum} range; that would switch off the Thailand check",
)
P_MORE_PROBLEMS = QT_TRANSLATE_NOOP("Policy", "{count} more problems (fix the ones above first)")
P_UNEXPECTED = QT_TRANSLATE_NOOP("Policy", "the policy could not be checked ({reason})")
P_REGISTRY_TYPE = QT_TRANSLATE_NOOP("Policy", "the registry value has type {found}; expected {expected}")
P_REGISTRY_UNREADABLE = QT_TRANSLATE_NOOP("Policy", "the registry key cannot be read: {reason}")
P_MACHINE_ONLY = QT_TRANSLATE_NOOP(
    "Policy",
    "ignored: {value} is in the user's policy (HKCU), but this key may be set only for the whole "
    "machine (HKLM or the machine policy file)",
)
P_REGISTRY_EXPAND = QT_TRANSLATE_NOOP(
    "Policy",
    "“{value}” uses {variable}, which is not a system folder; a REG_EXPAND_SZ value may use only {known}",
)
P_CA_NOT_LOCAL = QT_TRANSLATE_NOOP(
    "Policy", "the CA file must be on this computer's own disk, not a network or device path: {path}"
)

# -- who may change the machine policy (sources.py, winsec.py) ----------------
P_INSECURE_FOLDER = QT_TRANSLATE_NOOP(
    "Policy",
    "the folder {path} can be changed by users other than the administrator (owner uid {uid}, "
    "mode {mode}); every folder above the policy file must be owned by root and writable only by root",
)
P_WIN_OWNER = QT_TRANSLATE_NOOP(
    "Policy", "{path} is owned by {owner}; it must be owned by Administrators or SYSTEM"
)
P_WIN_WRITABLE = QT_TRANSLATE_NOOP(
    "Policy",
    "{who} may change {path} (rights {rights}); only Administrators and SYSTEM may change the policy",
)
P_WIN_NULL_DACL = QT_TRANSLATE_NOOP(
    "Policy", "{path} has no access list (a NULL DACL), so everyone may change it"
)
P_WIN_LINK = QT_TRANSLATE_NOOP(
    "Policy", "{path} is a link (reparse point); the policy folder and file must be real ones"
)
P_WIN_SECURITY_UNREADABLE = QT_TRANSLATE_NOOP(
    "Policy", "the owner and permissions of {path} cannot be read ({reason}), so the policy is not trusted"
)
# -- who may change the CA file the machine policy names (sources.py) ---------
P_CA_UNTRUSTED = QT_TRANSLATE_NOOP(
    "Policy",
    "the CA file {path} is not protected: a user who could change or replace it could make the app "
    "trust a certificate authority of their own ({reason})",
)
P_CA_INSECURE_FOLDER = QT_TRANSLATE_NOOP(
    "Policy",
    "the folder {path} can be changed by users other than the administrator (owner uid {uid}, "
    "mode {mode}); every folder above the CA file must be owned by root and writable only by root",
)
T_UNKNOWN_ACCOUNT = QT_TRANSLATE_NOOP("Policy", "an unknown account")

# Type names used in P_EXPECTED.
T_OBJECT = QT_TRANSLATE_NOOP("Policy", "an object {{ … }}")
T_TEXT = QT_TRANSLATE_NOOP("Policy", "text")
T_TEXT_OR_NULL = QT_TRANSLATE_NOOP("Policy", "text or null")
T_INTEGER = QT_TRANSLATE_NOOP("Policy", "a whole number")
T_LIST_OF_TEXT = QT_TRANSLATE_NOOP("Policy", "a list of text values [ … ]")
T_BOOLEAN = QT_TRANSLATE_NOOP("Policy", "true or false")
T_NULL = QT_TRANSLATE_NOOP("Policy", "null")
T_LIST = QT_TRANSLATE_NOOP("Policy", "a list")
T_OTHER = QT_TRANSLATE_NOOP("Policy", "another kind of value")

# -- account provisioning (provisioning.py) -------------------------------------
P_PROV_ADDRESS = QT_TRANSLATE_NOOP(
    "Policy", "“{value}” is not an e-mail address or an address pattern such as %USERNAME%@agency.go.th"
)
P_PROV_DOMAIN_FIXED = QT_TRANSLATE_NOOP(
    "Policy", "“{value}”: the domain after @ must be written out (only the part before @ may use %USERNAME%)"
)
P_PROV_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "Policy", "“{value}”: unknown placeholder {placeholder} (allowed here: {allowed})"
)
P_PROV_PERCENT = QT_TRANSLATE_NOOP(
    "Policy", "“{value}”: a % sign that is not part of a placeholder ({allowed})"
)
P_PROV_LOGIN = QT_TRANSLATE_NOOP(
    "Policy", "“{value}” is not a login name pattern (no spaces or control characters; placeholders {allowed})"
)
P_PROV_HOST = QT_TRANSLATE_NOOP("Policy", "“{value}” is not a server host name")
P_PROV_SIGNATURE = QT_TRANSLATE_NOOP(
    "Policy",
    "“{value}”: a signature line may use only the placeholders {{name}} and {{address}} (no other braces), "
    "at most {maximum} characters",
)
P_PROV_SIGNATURE_LINES = QT_TRANSLATE_NOOP("Policy", "the signature has {count} lines; at most {maximum} are allowed")
P_PROV_NO_SERVER = QT_TRANSLATE_NOOP(
    "Policy", "provisioning.address is set, so provisioning.{key} must name the server too"
)
P_PROV_REFUSED = QT_TRANSLATE_NOOP(
    "Policy", "the provisioned {what} {value} is refused by this policy's own rules ({reason})"
)
T_PROV_DOMAIN = QT_TRANSLATE_NOOP("Policy", "address domain")
T_PROV_SERVER = QT_TRANSLATE_NOOP("Policy", "server")
# run time: the OS login name does not give an address
PROV_FAILED = QT_TRANSLATE_NOOP(
    "Policy", "Your agency's policy sets up your mail account, but it cannot be set up for you: {reason}"
)
PROV_FAILED_HINT = QT_TRANSLATE_NOOP(
    "Policy",
    "Please contact your IT staff: they can give a fixed address in the policy (provisioning.address).",
)
PROV_INCOMPLETE = QT_TRANSLATE_NOOP("Policy", "the policy's provisioning section is incomplete.")
PROV_LOGIN_EMPTY = QT_TRANSLATE_NOOP("Policy", "the computer did not say who is logged in.")
PROV_LOGIN_BAD = QT_TRANSLATE_NOOP(
    "Policy",
    "your login name “{name}” cannot be part of an e-mail address (only the letters a–z, digits, "
    "dot, hyphen, underscore and plus are possible).",
)
PROV_ADDRESS_BAD = QT_TRANSLATE_NOOP("Policy", "“{address}” is not a valid e-mail address.")
PROV_ADDRESS_REFUSED = QT_TRANSLATE_NOOP(
    "Policy", "the address {address} is not on a domain the policy allows for accounts."
)
# run time: the machine policy changed while the app runs (live.py)
LIVE_UPDATED = QT_TRANSLATE_NOOP("Policy", "Your IT staff updated the agency's mail policy; the new rules apply now.")
LIVE_UPDATED_RESTART = QT_TRANSLATE_NOOP(
    "Policy",
    "Your IT staff updated the agency's mail policy; the new rules apply now, except these, "
    "which apply after GovMail is restarted: {keys}",
)
LIVE_FIXED_RESTART = QT_TRANSLATE_NOOP(
    "Policy", "Your IT staff fixed the agency's mail policy. Please restart GovMail to connect again."
)
LIVE_BROKEN = QT_TRANSLATE_NOOP(
    "Policy",
    "Your IT staff changed the agency's mail policy, but the new policy cannot be used, so no "
    "connections are made and no mail is sent until it is fixed: {problem}",
)
