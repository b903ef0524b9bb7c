package web

import (
	"fmt"
	"net/http"
)

// Lang is a language of the UI: English, or Arabic (right to left).
type Lang string

// Languages of the UI.
const (
	English Lang = "en"
	Arabic  Lang = "ar"
)

func parseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case English, Arabic:
		return Lang(s), true
	}
	return "", false
}

// langOf is the language of a request: ?lang=, else the lang cookie, else
// English.
func langOf(r *http.Request) Lang {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	return English
}

// Dir is the writing direction of the language.
func (l Lang) Dir() string {
	if l == Arabic {
		return "rtl"
	}
	return "ltr"
}

// T translates a message key (the English text itself, or a code such as
// a status) into l, formatting args into it; a key with no translation
// shows as it is.
func (l Lang) T(key string, args ...any) string {
	s := key
	switch l {
	case Arabic:
		if a, ok := arabic[key]; ok {
			s = a
		}
	case English:
		if e, ok := english[key]; ok {
			s = e
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// english labels the codes the UI shows (statuses, kinds, relations...)
// where the code itself does not read as English. It is read only.
var english = map[string]string{
	"camp-section":          "camp section",
	"destination-prison":    "destination prison",
	"rehabilitation-centre": "rehabilitation centre",
	"nom-de-guerre":         "nom de guerre",
	"mother-of":             "mother of",
	"father-of":             "father of",
	"child-of":              "child of",
	"spouse-of":             "spouse of",
	"sibling-of":            "sibling of",
	"family-desk":           "family desk",
	"border-crossing":       "border crossing",
	"national-id":           "national ID card",
	"family-book":           "family book",
	"detention-card":        "detention card",
	"camp-card":             "camp card",
	"land":                  "by land",
	"air":                   "by air",
	"departure":             "at departure",
	"arrival":               "at arrival",
}

// arabic translates the UI's messages and codes. It is read only.
var arabic = map[string]string{
	// The frame and the sign-in page.
	"Sign in":           "تسجيل الدخول",
	"Sign out":          "تسجيل الخروج",
	"Name":              "الاسم",
	"Password":          "كلمة المرور",
	"Dashboard":         "لوحة المتابعة",
	"Map":               "الخريطة",
	"Persons":           "الأشخاص",
	"Person":            "الشخص",
	"Facilities":        "المرافق",
	"Facility":          "المرفق",
	"Allocations":       "التخصيصات",
	"Allocation":        "التخصيص",
	"Moves":             "عمليات النقل",
	"Move":              "عملية النقل",
	"Audit":             "سجل الاطلاع",
	"Users":             "المستخدمون",
	"User":              "المستخدم",
	"Search":            "بحث",
	"Error":             "خطأ",
	"Go back":           "رجوع",
	"custody":           "الحراسة",
	"Latest checkpoint": "آخر نقطة تحقق",
	"Field page":        "صفحة الميدان",
	"→":                 "←",

	// Error pages (their titles are HTTP status texts).
	"Bad Request":              "طلب غير صالح",
	"Unauthorized":             "يلزم تسجيل الدخول",
	"Forbidden":                "غير مسموح",
	"Not Found":                "غير موجود",
	"Conflict":                 "تعارض",
	"Request Entity Too Large": "الطلب أكبر من المسموح",
	"Too Many Requests":        "محاولات كثيرة جداً",
	"Internal Server Error":    "خطأ داخلي في الخادم",

	// Codes: statuses, categories, sexes.
	"held":         "محتجز",
	"hospitalised": "في المستشفى",
	"released":     "مُفرج عنه",
	"escaped":      "فارّ",
	"deceased":     "متوفى",
	"aboard":       "على متن النقل",
	"man":          "رجل",
	"woman":        "امرأة",
	"boy":          "صبي",
	"girl":         "فتاة",
	"male":         "ذكر",
	"female":       "أنثى",
	"unknown":      "غير معروف",

	// Facility kinds and security levels.
	"prison":                "سجن",
	"camp":                  "مخيم",
	"camp-section":          "قسم من مخيم",
	"transit":               "نقطة عبور",
	"hospital":              "مستشفى",
	"rehabilitation-centre": "مركز إعادة تأهيل",
	"destination-prison":    "سجن الوجهة",
	"low":                   "منخفض",
	"medium":                "متوسط",
	"high":                  "عالٍ",
	"maximum":               "أقصى",

	// Moves: stages, modes, legs, handover stages, where a person stands.
	"planned":             "مخطط",
	"boarding":            "الصعود جارٍ",
	"departed":            "انطلق",
	"arrived":             "وصل",
	"closed":              "مغلق",
	"aborted":             "ملغى",
	"land":                "برّاً",
	"air":                 "جوّاً",
	"checkpoint":          "نقطة تفتيش",
	"border-crossing":     "معبر حدودي",
	"redirect":            "تغيير المسار",
	"overnight":           "مبيت",
	"departure":           "عند المغادرة",
	"arrival":             "عند الوصول",
	"to board":            "بانتظار الصعود",
	"not boarded":         "لم يصعد",
	"handed over":         "تم تسليمه",
	"incident on the way": "حادثة في الطريق",

	// Identity: aliases, relations, documents.
	"kunya":          "كنية",
	"nom-de-guerre":  "اسم حركي",
	"other":          "آخر",
	"mother-of":      "أمّ",
	"father-of":      "أب",
	"child-of":       "ابن أو ابنة",
	"spouse-of":      "زوج أو زوجة",
	"sibling-of":     "أخ أو أخت",
	"passport":       "جواز سفر",
	"national-id":    "بطاقة هوية وطنية",
	"family-book":    "دفتر عائلة",
	"detention-card": "بطاقة احتجاز",
	"camp-card":      "بطاقة المخيم",

	// Roles.
	"admin":       "مدير النظام",
	"registrar":   "أمين السجل",
	"planner":     "مخطط النقل",
	"escort":      "المرافقة",
	"receiver":    "الجهة المستلمة",
	"judicial":    "قضائي",
	"consular":    "قنصلي",
	"monitor":     "مراقب",
	"family-desk": "مكتب العائلات",

	// Event types.
	"authority registered":     "تسجيل جهة",
	"facility registered":      "تسجيل مرفق",
	"control changed":          "تغيّر السيطرة",
	"registered":               "التسجيل",
	"identity corrected":       "تصحيح الهوية",
	"admitted":                 "الإيداع",
	"transferred":              "النقل",
	"recaptured":               "إعادة القبض",
	"died":                     "الوفاة",
	"returned from hospital":   "العودة من المستشفى",
	"reference list published": "نشر قائمة مرجعية",
	"allocation created":       "إنشاء تخصيص",
	"move planned":             "تخطيط عملية نقل",
	"manifest amended":         "تعديل البيان",
	"boarding started":         "بدء الصعود",
	"boarded":                  "الصعود",
	"counted":                  "العدّ",
	"handover released":        "التسليم",
	"handover received":        "الاستلام",
	"handover refused":         "رفض الاستلام",
	"evacuated":                "الإخلاء الطبي",
	"move closed":              "إغلاق عملية النقل",
	"move aborted":             "إلغاء عملية النقل",

	// Events told in a sentence.
	"Registered as %s":                                              "سُجّل باسم %s",
	"Identity corrected (corrects event %d): %s":                    "صُحّحت الهوية (تصحيح للحدث %d): %s",
	"Admitted to %s, taken by %s, ordered by %s; grounds: %s":       "أُودع في %s، احتجزه %s، بأمر من %s؛ الأسباب: %s",
	"Transferred from %s to %s, ordered by %s":                      "نُقل من %s إلى %s، بأمر من %s",
	"Released from %s (%s), authorised by %s":                       "أُفرج عنه من %s (%s)، بإذن من %s",
	"Escaped from %s":                                               "فرّ من %s",
	"Escaped from move %s":                                          "فرّ من عملية النقل %s",
	"Recaptured and admitted to %s (closes the escape of event %d)": "أُعيد القبض عليه وأُودع في %s (يُغلق الفرار المسجّل في الحدث %d)",
	"Died: %s; cause: %s; remains: %s":                              "توفي: %s؛ السبب: %s؛ الرفات: %s",
	"Taken from %s to %s":                                           "نُقل من %s إلى %s",
	"Returned from %s to %s":                                        "عاد من %s إلى %s",
	"Control of %s passed from %s to %s":                            "انتقلت السيطرة على %s من %s إلى %s",
	"Manifested for move %s: %s → %s":                               "أُدرج في بيان عملية النقل %s: %s ← %s",
	"Manifest of move %s amended":                                   "عُدّل بيان عملية النقل %s",
	"Boarding of move %s started":                                   "بدأ الصعود في عملية النقل %s",
	"ID typed":                                                      "أُدخل الرقم يدوياً",
	"wristband scanned":                                             "مُسح السوار",
	"Boarded move %s, vehicle %s (%s)":                              "صعد إلى عملية النقل %s، المركبة %s (%s)",
	"Not boarded on move %s: %s":                                    "لم يصعد إلى عملية النقل %s: %s",
	"Move %s departed with %d aboard":                               "انطلقت عملية النقل %s وعلى متنها %d",
	"Move %s recounted: %d":                                         "أُعيد العدّ في عملية النقل %s: %d",
	"Move %s counted %d at leg %d":                                  "عُدّ %[2]d في عملية النقل %[1]s عند المرحلة %[3]d",
	"Move %s arrived with %d aboard":                                "وصلت عملية النقل %s وعلى متنها %d",
	"Handed over by %s to %s at %s (move %s)":                       "سلّمته %s إلى %s %s (عملية النقل %s)",
	"Received by %s, identity checked (move %s, handover %d)":       "استلمته %s بعد التحقق من الهوية (عملية النقل %s، التسليم %d)",
	"Refused by %s: %s (move %s)":                                   "رفضت %s استلامه: %s (عملية النقل %s)",
	"Evacuated from move %s to %s: %s":                              "أُخلي طبياً من عملية النقل %s إلى %s: %s",
	"Move %s closed":                                                "أُغلقت عملية النقل %s",
	"Move %s aborted: %s":                                           "أُلغيت عملية النقل %s: %s",
	"Allocation %s created":                                         "أُنشئ التخصيص %s",
	"Facility %s registered":                                        "سُجّل المرفق %s",
	"Authority %s registered":                                       "سُجّلت الجهة %s",

	// The dashboard.
	"transferred to Iraq":         "نُقلوا إلى العراق",
	"%d%% of the target of %s":    "%d%% من الهدف البالغ %s",
	"still to transfer":           "بانتظار النقل",
	"in custody":                  "قيد الاحتجاز",
	"of %s registered":            "من أصل %s مسجلين",
	"children under 12":           "أطفال دون 12 عاماً",
	"%s children under 12":        "%s طفلاً دون 12 عاماً",
	"nationalities":               "جنسية",
	"missing from custody":        "مفقودون من الاحتجاز",
	"Transfer progress":           "تقدّم النقل",
	"Persons transferred to Iraq": "الأشخاص المنقولون إلى العراق",
	"persons":                     "أشخاص",
	"Target":                      "الهدف",
	"No transfers yet":            "لا عمليات نقل بعد",
	"Persons held by facility, against capacity": "المحتجزون حسب المرفق، مقارنة بالسعة",
	"Nobody is held":                            "لا يوجد محتجزون",
	"Persons by category":                       "الأشخاص حسب الفئة",
	"Persons by nationality":                    "الأشخاص حسب الجنسية",
	"Nobody is registered":                      "لا يوجد مسجلون",
	"%d others":                                 "%d جنسيات أخرى",
	"Open discrepancies":                        "فروقات مفتوحة",
	"counted %d, expected %d":                   "العدد %d، والمتوقع %d",
	"No open discrepancy: every count adds up.": "لا فروقات مفتوحة: كل الأعداد متطابقة.",
	"Missing from custody":                      "مفقودون من الاحتجاز",
	"from move %s":                              "من عملية النقل %s",
	"from %s":                                   "من %s",
	"Each clock runs from the escape until a recapture or a death closes it. Persons outside your scope are not named.": "يبدأ كل عدّاد من لحظة الفرار حتى تُغلقه إعادة القبض أو الوفاة. لا تُذكر أسماء الأشخاص خارج نطاق صلاحياتك.",
	"Nobody is missing from custody.": "لا يوجد مفقودون من الاحتجاز.",
	"Log entries":                     "عدد القيود في السجل",
	"Root hash":                       "جذر شجرة التجزئة",
	"Verifier key":                    "مفتاح التحقق",
	"Signed note":                     "الملاحظة الموقّعة",
	"The same checkpoint is served at /checkpoint, with the tree's tiles at /tile/, for independent witnesses.": "نقطة التحقق نفسها متاحة على \u200e/checkpoint\u200e، ومربعات الشجرة على \u200e/tile/\u200e، للشهود المستقلين.",
	"No signed checkpoint yet.": "لا توجد نقطة تحقق موقّعة بعد.",

	// The map.
	"Facilities and the routes of the transfer": "المرافق ومسارات النقل",
	"%s persons moved in %d moves":              "نُقل %s شخصاً في %d عملية نقل",
	"%s held, capacity %s":                      "%s محتجزاً، والسعة %s",
	"persons held (area)":                       "المحتجزون (بالمساحة)",
	"capacity (dashed ring)":                    "السعة (الحلقة المتقطعة)",
	"route of moves (width: persons moved)":     "مسار عمليات النقل (العرض: عدد المنقولين)",
	"Routes":                                    "المسارات",
	"Route":                                     "المسار",
	"Moved":                                     "نُقلوا",
	"On the way":                                "في الطريق",
	"No moves yet.":                             "لا عمليات نقل بعد.",

	// Persons.
	"Name or ID":                      "الاسم أو الرقم",
	"any":                             "الكل",
	"Status":                          "الحالة",
	"Nationality":                     "الجنسية",
	"Category":                        "الفئة",
	"ID":                              "الرقم",
	"Where":                           "المكان",
	"Since":                           "منذ",
	"under 12":                        "دون 12 عاماً",
	"tier 1":                          "الفئة 1",
	"No persons in your scope match.": "لا يوجد أشخاص مطابقون ضمن نطاق صلاحياتك.",
	"First page":                      "الصفحة الأولى",
	"Next page":                       "الصفحة التالية",
	"Identity":                        "الهوية",
	"Aliases":                         "أسماء أخرى",
	"Father's name":                   "اسم الأب",
	"Mother's name":                   "اسم الأم",
	"not recorded":                    "غير مسجّل",
	"Sex":                             "الجنس",
	"Born":                            "تاريخ الميلاد",
	"estimated":                       "تقديري",
	"age %d":                          "العمر %d",
	"Nationalities":                   "الجنسيات",
	"Documents":                       "الوثائق",
	"none":                            "لا يوجد",
	"Risk tier":                       "مستوى الخطورة",
	"tier %d":                         "المستوى %d",
	"first-tier leader":               "قيادي من الصف الأول",
	"not assessed":                    "لم يُقيّم",
	"Medical needs":                   "الاحتياجات الطبية",
	"none recorded":                   "لا شيء مسجّل",
	"Family":                          "العائلة",
	"Person to inform":                "الشخص الذي يُبلَّغ",
	"Custody now":                     "الاحتجاز حالياً",
	"In the custody of":               "في عهدة",
	"event %d":                        "الحدث %d",
	"Missing since":                   "مفقود منذ",
	"escape recorded in event %d":     "الفرار مسجّل في الحدث %d",
	"Timeline":                        "السجل الزمني",
	"Each event's inclusion proof is checked here against the signed checkpoint of %s entries (root %s).": "يُتحقق هنا من إثبات إدراج كل حدث مقابل نقطة التحقق الموقّعة ذات %s قيداً (الجذر %s).",
	"Recorded %s by %s (%s)":    "سُجّل في %s بواسطة %s (%s)",
	"verified in checkpoint %s": "تم التحقق في نقطة التحقق %s",
	"Offline receipt":           "إيصال للتحقق دون اتصال",
	"Anyone with the log's verifier key can check this receipt offline:": "يمكن لأي شخص يملك مفتاح التحقق الخاص بالسجل فحص هذا الإيصال دون اتصال:",
	"proof failed": "فشل الإثبات",
	"recorded after the latest signed checkpoint": "سُجّل بعد آخر نقطة تحقق موقّعة",
	"Who read this record":                        "من اطّلع على هذا السجل",
	"When":                                        "الوقت",
	"Page":                                        "الصفحة",
	"Full audit trail":                            "سجل الاطلاع الكامل",

	// Facilities.
	"%s persons held in %d facilities with %s places.": "%s محتجزاً في %d مرفقاً تتسع لـ %s.",
	"Kind":                               "النوع",
	"Place":                              "الموقع",
	"Controlled by":                      "تحت سيطرة",
	"Population":                         "عدد المحتجزين",
	"Capacity":                           "السعة",
	"Occupancy":                          "الإشغال",
	"section of %s":                      "قسم من %s",
	"Record":                             "السجل",
	"Section of":                         "قسم من",
	"Security":                           "مستوى الحراسة",
	"Sections":                           "الأقسام",
	"Population and capacity":            "عدد المحتجزين والسعة",
	"%d%% of capacity":                   "%d%% من السعة",
	"Control history":                    "تاريخ السيطرة",
	"Authority":                          "الجهة",
	"From":                               "من",
	"Until":                              "حتى",
	"Event":                              "الحدث",
	"now":                                "حالياً",
	"Roll":                               "قائمة المحتجزين",
	"At least %s persons in your scope.": "%s شخصاً على الأقل ضمن نطاق صلاحياتك.",
	"%s persons in your scope.":          "%s شخصاً ضمن نطاق صلاحياتك.",
	"%s more are held here outside your scope and are not listed.": "و%s آخرون محتجزون هنا خارج نطاق صلاحياتك ولا يُعرضون.",
	"Nobody on this roll is in your scope.":                        "لا أحد في هذه القائمة ضمن نطاق صلاحياتك.",

	// Allocations and moves.
	"Ordered by":                   "بأمر من",
	"Criteria":                     "المعايير",
	"Categories":                   "الفئات",
	"Origins":                      "أماكن الانطلاق",
	"Risk tiers":                   "مستويات الخطورة",
	"everyone":                     "الجميع",
	"Destinations":                 "الوجهات",
	"moved":                        "نُقلوا",
	"%d%% of the target":           "%d%% من الهدف",
	"%s on the way":                "%s في الطريق",
	"%s planned":                   "%s مخطط لنقلهم",
	"Moves: %d":                    "عمليات النقل: %d",
	"(%d more outside your scope)": "(و%d خارج نطاق صلاحياتك)",
	"Departure":                    "المغادرة",
	"Stage":                        "المرحلة",
	"Manifested":                   "في البيان",
	"Handed over":                  "سُلّموا",
	"No allocation yet.":           "لا تخصيصات بعد.",
	"all":                          "الكل",
	"Mode":                         "الوسيلة",
	"Escort":                       "المرافقة",
	"Aboard":                       "على المتن",
	"Alerts":                       "التنبيهات",
	"%d open":                      "%d مفتوح",
	"No moves that you may see.":   "لا عمليات نقل ضمن نطاق صلاحياتك.",
	"Open the field page":          "فتح صفحة الميدان",
	"To":                           "إلى",
	"Scheduled departure":          "موعد المغادرة",
	"Scheduled arrival":            "موعد الوصول",
	"Counts":                       "الأعداد",
	"Boarded":                      "صعدوا",
	"Not boarded":                  "لم يصعدوا",
	"To board":                     "بانتظار الصعود",
	"Incidents on the way":         "حوادث في الطريق",
	"Stages":                       "المراحل",
	"open":                         "مفتوح",
	"closed by event %d":           "أُغلق بالحدث %d",
	"Headcounts":                   "عمليات العدّ",
	"Expected":                     "المتوقع",
	"Counted":                      "المعدود",
	"Legs":                         "مراحل الطريق",
	"overnight at %s":              "مبيت في %s",
	"Handovers":                    "عمليات التسليم",
	"Released by":                  "سلّمه",
	"Received":                     "استُلموا",
	"Refused":                      "رُفضوا",
	"Awaiting":                     "بانتظار الرد",
	"Manifest":                     "البيان",
	"%d of %d seats":               "%d من %d مقعداً",
	"Seat":                         "المقعد",

	// The field page.
	"Move page":       "صفحة عملية النقل",
	"What to do next": "الخطوة التالية",
	"Open alerts":     "تنبيهات مفتوحة",
	"An alert stays open until an event explains the difference (an incident, a recount).": "يبقى التنبيه مفتوحاً حتى يفسّر حدثٌ الفرق (حادثة أو إعادة عدّ).",
	"Start boarding": "بدء الصعود",
	"Start boarding when the persons are ready at the origin: the manifests are then frozen.":                                    "ابدأ الصعود عندما يكون الأشخاص جاهزين في مكان الانطلاق: يُجمَّد البيان عندئذ.",
	"Board each person on the manifest: scan their wristband or type their ID. Record anyone who does not board, with a reason.": "سجّل صعود كل شخص في البيان: امسح سواره أو أدخل رقمه. سجّل من لا يصعد مع ذكر السبب.",
	"Before departure the origin hands the persons aboard over to the escort (%s), who confirms each of them.":                   "قبل المغادرة تسلّم جهة الانطلاق الأشخاص على المتن إلى المرافقة (%s) التي تؤكد استلام كل منهم.",
	"Then record the departure with the headcount.":                                                                              "ثم سجّل المغادرة مع العدد.",
	"Count the persons aboard at each leg of the route; record the arrival with the headcount.":                                  "عُدّ الأشخاص على المتن عند كل مرحلة من الطريق، وسجّل الوصول مع العدد.",
	"Hand the persons aboard over to %s; the receiving side checks each person's identity and confirms.":                         "سلّم الأشخاص على المتن إلى %s؛ تتحقق الجهة المستلمة من هوية كل شخص وتؤكد.",
	"Close the move when its counts balance.":                                                                                    "أغلق عملية النقل عندما تتطابق أعدادها.",
	"The move is closed.":               "عملية النقل مغلقة.",
	"The move was called off.":          "أُلغيت عملية النقل.",
	"Board a person":                    "تسجيل صعود شخص",
	"Scan wristband":                    "مسح السوار",
	"Person ID (or wristband code)":     "رقم الشخص (أو رمز السوار)",
	"Board":                             "صعود",
	"seat %d":                           "المقعد %d",
	"and %d more":                       "و%d آخرون",
	"Reason":                            "السبب",
	"Note (optional)":                   "ملاحظة (اختيارية)",
	"Record not boarded":                "تسجيل عدم الصعود",
	"Hand over to %s":                   "التسليم إلى %s",
	"%d persons in your custody aboard": "%d أشخاص في عهدتك على المتن",
	"Release custody":                   "تسليم العهدة",
	"Receive from %s":                   "الاستلام من %s",
	"Handover %d, released by %s, %s":   "التسليم %d، سلّمه %s، %s",
	"I have checked the identity of each person ticked.": "تحققتُ من هوية كل شخص محدد.",
	"Accept custody":                "قبول العهدة",
	"Refuse a person":               "رفض استلام شخص",
	"Refuse":                        "رفض",
	"Depart":                        "المغادرة",
	"Headcount at departure":        "العدد عند المغادرة",
	"%d aboard":                     "%d على المتن",
	"Record departure":              "تسجيل المغادرة",
	"Headcount":                     "العدّ",
	"recount where the move stands": "إعادة العدّ في المكان الحالي",
	"leg %d: %s":                    "المرحلة %d: %s",
	"Persons counted":               "عدد الأشخاص",
	"Record headcount":              "تسجيل العدد",
	"Arrive":                        "الوصول",
	"Headcount on arrival":          "العدد عند الوصول",
	"Record arrival":                "تسجيل الوصول",
	"Close the move":                "إغلاق عملية النقل",
	"A move closes when manifested = boarded + not boarded, boarded = handed over + incidents, nobody is left aboard and no alert is open.": "تُغلق عملية النقل عندما يكون: من في البيان = من صعدوا + من لم يصعدوا، ومن صعدوا = من سُلّموا + الحوادث، ولا أحد على المتن، ولا تنبيه مفتوحاً.",
	"Not recorded": "لم يُسجَّل",
	"Boarding started: the manifests are frozen.": "بدأ الصعود: جُمّد البيان.",
	"Boarded: %s.":                 "صعد: %s.",
	"Recorded as not boarded: %s.": "سُجّل عدم صعود: %s.",
	"Departure recorded.":          "سُجّلت المغادرة.",
	"Headcount recorded.":          "سُجّل العدد.",
	"Arrival recorded.":            "سُجّل الوصول.",
	"Handover recorded: it awaits the receiving side's confirmation.": "سُجّل التسليم: بانتظار تأكيد الجهة المستلمة.",
	"Custody received.":     "استُلمت العهدة.",
	"Refusal recorded: %s.": "سُجّل الرفض: %s.",
	"Move closed.":          "أُغلقت عملية النقل.",

	// The audit trail and the users.
	"Audit trail": "سجل الاطلاع",
	"Every read of a person's record is recorded before it is shown: who, when, which person, on which page.": "يُسجَّل كل اطلاع على سجل شخص قبل عرضه: من، ومتى، وأي شخص، وفي أي صفحة.",
	"Filter":          "تصفية",
	"No reads match.": "لا توجد عمليات اطلاع مطابقة.",
	"trail":           "السجل",
	"User %s added":   "أُضيف المستخدم %s",
	"Their password is shown only this once: give it to them over a safe channel.": "تُعرض كلمة المرور هذه مرة واحدة فقط: سلّمها للمستخدم عبر قناة آمنة.",
	"Role":       "الدور",
	"Scope":      "النطاق",
	"Created":    "تاريخ الإنشاء",
	"API tokens": "رموز الواجهة البرمجية",
	"disabled":   "معطّل",
	"active":     "نشط",
	"Disable":    "تعطيل",
	"Add a user": "إضافة مستخدم",
	"registrar, planner, escort, receiver, judicial":   "أمين السجل، مخطط النقل، المرافقة، الجهة المستلمة، القضائي",
	"registrar: facility IDs, separated by commas":     "أمين السجل: أرقام المرافق مفصولة بفواصل",
	"consular: ISO country codes, separated by commas": "القنصلي: رموز الدول وفق ISO مفصولة بفواصل",
	"Add user": "إضافة المستخدم",
	"User %s disabled: their sessions are ended.": "عُطّل المستخدم %s: أُنهيت جلساته.",
}
