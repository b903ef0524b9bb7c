package web

import (
	"net/http"
	"strings"

	custody "github.com/opencustody/custody"
)

// Gate is the first check of the access policy a route makes, before its
// handler runs: public, any signed-in user, or a user who Can the action.
// Handlers then check each person and move they show against the policy.
type Gate struct {
	Public bool
	Action custody.Action // "": any signed-in user
}

var (
	public   = Gate{Public: true}
	signedIn = Gate{}
)

func can(a custody.Action) Gate { return Gate{Action: a} }

// Route is one route of the server, as listed by Routes.
type Route struct {
	Method  string
	Pattern string // path pattern, as net/http.ServeMux takes it
	Gate    Gate
	API     bool // answers JSON (the API and the log's public paths)
}

// Routes lists every route the server serves (the role × route matrix
// test calls each of them as every role).
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// addRoutes lists every route: method, path, policy gate, handler.
func (s *Server) addRoutes() {
	// The log's public face (C2SP tlog-tiles): checkpoints and hash
	// tiles, never leaf data.
	s.api("GET /checkpoint", public, s.checkpoint)
	s.api("GET /tile/{path...}", public, s.tile)

	// JSON API.
	s.api("GET /api/openapi.json", public, s.openAPI)
	s.api("GET /api/v1/status", public, s.apiStatus)
	s.api("GET /api/v1/me", signedIn, s.apiMe)
	s.api("GET /api/v1/stats", can(custody.ViewOperation), s.apiStats)
	s.api("GET /api/v1/authorities", can(custody.ViewOperation), s.apiAuthorities)
	s.api("GET /api/v1/facilities", can(custody.ViewOperation), s.apiFacilities)
	s.api("GET /api/v1/facilities/{id}", can(custody.ViewOperation), s.apiFacility)
	s.api("GET /api/v1/facilities/{id}/roll", can(custody.SearchPersons), s.apiFacilityRoll)
	s.api("GET /api/v1/persons", can(custody.SearchPersons), s.apiPersons)
	s.api("GET /api/v1/persons/{id}", can(custody.SearchPersons), s.apiPerson)
	s.api("GET /api/v1/persons/{id}/whereabouts", can(custody.SearchPersons), s.apiWhereabouts)
	s.api("GET /api/v1/persons/{id}/timeline", can(custody.SearchPersons), s.apiTimeline)
	s.api("GET /api/v1/persons/{id}/reads", can(custody.ReadAudit), s.apiPersonReads)
	s.api("GET /api/v1/persons/{id}/bundle", can(custody.SearchPersons), s.apiBundle)
	s.api("GET /api/v1/escapes", can(custody.SearchPersons), s.apiEscapes)
	s.api("GET /api/v1/allocations", can(custody.ViewAllocations), s.apiAllocations)
	s.api("GET /api/v1/allocations/{id}", can(custody.ViewAllocations), s.apiAllocation)
	s.api("GET /api/v1/moves", can(custody.ViewMoves), s.apiMoves)
	s.api("GET /api/v1/moves/{id}", can(custody.ViewMoves), s.apiMove)
	s.api("GET /api/v1/alerts", can(custody.ViewMoves), s.apiAlerts)
	s.api("GET /api/v1/events", can(custody.ReadLog), s.apiEvents)
	s.api("GET /api/v1/events/{seq}", signedIn, s.apiEvent)
	s.api("GET /api/v1/proofs/{seq}", signedIn, s.apiProof)
	s.api("GET /api/v1/checkpoints/latest", public, s.apiCheckpoint)
	s.api("GET /api/v1/audit", can(custody.ReadAudit), s.apiAudit)
	s.api("GET /api/v1/users", can(custody.ManageUsers), s.apiUsers)
	s.api("POST /api/v1/users", can(custody.ManageUsers), s.apiAddUser)
	s.api("POST /api/v1/users/{name}/disable", can(custody.ManageUsers), s.apiDisableUser)
	s.api("POST /api/v1/users/{name}/tokens", can(custody.ManageUsers), s.apiNewToken)

	// Writes: every one is recorded as events, checked by the policy
	// against the state it is applied to, with an Idempotency-Key.
	s.api("POST /api/v1/events", can(custody.RecordEvents), s.apiRecord)
	s.api("POST /api/v1/incidents", can(custody.RecordEvents), s.apiIncident)
	s.api("POST /api/v1/allocations", can(custody.RecordEvents), s.apiCreateAllocation)
	s.api("POST /api/v1/moves", can(custody.RecordEvents), s.apiPlanMove)
	s.api("POST /api/v1/moves/{id}/{action}", can(custody.RecordEvents), s.apiMoveAction)

	// Names: search, the duplicate check, merges.
	s.api("GET /api/v1/persons/search", can(custody.SearchPersons), s.apiSearchPersons)
	s.api("GET /api/v1/duplicates", can(custody.SearchPersons), s.apiDuplicates)
	s.api("POST /api/v1/persons", can(custody.RecordEvents), s.apiRegisterPerson)
	s.api("POST /api/v1/persons/{id}/merge", can(custody.RecordEvents), s.apiMergePerson)
	s.api("POST /api/v1/persons/{id}/unmerge", can(custody.RecordEvents), s.apiUnmergePerson)

	// Family inquiries: the family desk only.
	// (inquiry routes)
	s.api("GET /api/v1/inquiries", can(custody.AnswerFamilies), s.apiInquiries)
	s.api("POST /api/v1/inquiries", can(custody.AnswerFamilies), s.apiOpenInquiry)
	s.api("GET /api/v1/inquiries/{id}", can(custody.AnswerFamilies), s.apiInquiry)
	s.api("GET /api/v1/inquiries/{id}/candidates", can(custody.AnswerFamilies), s.apiCandidates)
	s.api("POST /api/v1/inquiries/{id}/decisions", can(custody.AnswerFamilies), s.apiDecide)
	s.api("POST /api/v1/inquiries/{id}/answer", can(custody.AnswerFamilies), s.apiAnswer)
	s.page("GET /inquiries", can(custody.AnswerFamilies), s.inquiriesPage)
	s.page("POST /inquiries", can(custody.AnswerFamilies), s.openInquiryForm)
	s.page("GET /inquiries/{id}", can(custody.AnswerFamilies), s.inquiryPage)
	s.page("POST /inquiries/{id}/decisions", can(custody.AnswerFamilies), s.decideForm)
	s.page("POST /inquiries/{id}/answer", can(custody.AnswerFamilies), s.answerForm)
	s.page("GET /inquiries/{id}/answer", can(custody.AnswerFamilies), s.answerPage)

	// Cases, consular notifications, death-penalty alerts, repatriation
	// and the legal reference data: read here, written through POST
	// /api/v1/events.
	s.api("GET /api/v1/cases", can(custody.ViewCases), s.apiCases)
	s.api("GET /api/v1/cases/{id}", can(custody.ViewCases), s.apiCase)
	s.api("GET /api/v1/notifications", can(custody.ViewConsular), s.apiNotifications)
	s.api("GET /api/v1/exposures", can(custody.ViewConsular), s.apiExposures)
	s.api("GET /api/v1/repatriations", can(custody.ViewConsular), s.apiRepatriations)
	s.api("GET /api/v1/repatriations/{id}", can(custody.ViewConsular), s.apiRepatriation)
	s.api("GET /api/v1/reference/legal", signedIn, s.apiLegalReference)
	s.page("GET /cases", can(custody.ViewCases), s.casesPage)
	s.page("GET /cases/{id}", can(custody.ViewCases), s.casePage)
	s.page("POST /cases/{id}/{step}", can(custody.RecordEvents), s.caseStepForm)
	s.page("POST /persons/{id}/cases", can(custody.RecordEvents), s.openCaseForm)
	s.page("GET /consular", can(custody.ViewConsular), s.consularPage)
	s.page("POST /consular/delivered", can(custody.RecordEvents), s.deliveredForm)
	s.page("POST /consular/acknowledged", can(custody.RecordEvents), s.acknowledgedForm)
	s.page("GET /repatriations", can(custody.ViewConsular), s.repatriationsPage)
	s.page("POST /repatriations", can(custody.RecordEvents), s.requestRepatriationForm)
	s.page("GET /repatriations/{id}", can(custody.ViewConsular), s.repatriationPage)
	s.page("POST /repatriations/{id}/{action}", can(custody.RecordEvents), s.repatriationForm)
	s.page("GET /reference/legal", signedIn, s.legalReferencePage)

	// The UI.
	s.page("GET /login", public, s.loginPage)
	s.page("POST /login", public, s.login)
	s.page("POST /logout", signedIn, s.logout)
	s.page("GET /lang/{lang}", public, s.setLang)
	s.page("GET /{$}", can(custody.ViewOperation), s.dashboard)
	s.page("GET /map", can(custody.ViewOperation), s.mapPage)
	s.page("GET /persons", can(custody.SearchPersons), s.personsPage)
	s.page("GET /persons/new", can(custody.RecordEvents), s.registerPage)
	s.page("POST /persons/new", can(custody.RecordEvents), s.registerSubmit)
	s.page("GET /persons/{id}", can(custody.SearchPersons), s.personPage)
	s.page("POST /persons/{id}/merge", can(custody.RecordEvents), s.mergeForm)
	s.page("POST /persons/{id}/unmerge", can(custody.RecordEvents), s.unmergeForm)
	s.page("GET /duplicates", can(custody.SearchPersons), s.duplicatesPage)
	s.page("GET /facilities", can(custody.ViewOperation), s.facilitiesPage)
	s.page("GET /facilities/{id}", can(custody.ViewOperation), s.facilityPage)
	s.page("GET /allocations", can(custody.ViewAllocations), s.allocationsPage)
	s.page("GET /moves", can(custody.ViewMoves), s.movesPage)
	s.page("GET /moves/{id}", can(custody.ViewMoves), s.movePage)
	s.page("GET /moves/{id}/field", can(custody.RecordEvents), s.fieldPage)
	s.page("POST /moves/{id}/field/{action}", can(custody.RecordEvents), s.fieldAction)
	s.page("GET /audit", can(custody.ReadAudit), s.auditPage)
	s.page("GET /users", can(custody.ManageUsers), s.usersPage)
	s.page("POST /users", can(custody.ManageUsers), s.addUserForm)
	s.page("POST /users/{name}/disable", can(custody.ManageUsers), s.disableUserForm)
	s.page("/", public, s.notFound)
}

func (s *Server) api(pattern string, g Gate, h handlerFunc)  { s.add(pattern, g, h, true) }
func (s *Server) page(pattern string, g Gate, h handlerFunc) { s.add(pattern, g, h, false) }

func (s *Server) add(pattern string, g Gate, h handlerFunc, api bool) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	rt := Route{Method: method, Pattern: path, Gate: g, API: api}
	s.routes = append(s.routes, rt)
	s.mux.Handle(pattern, s.wrap(rt, h))
}

var _ http.Handler = (*Server)(nil)
