//! A local Microsoft Graph + Entra token endpoint, built from the documented API, for the Graph tests:
//! - `POST /{tenant}/oauth2/v2.0/token` (client credentials: checks tenant, client id + secret, grant type,
//!   scope `…/.default`; returns `access_token`, `expires_in`);
//! - `GET /v1.0/users?$filter=…&$select=…` (`mail eq`, `userPrincipalName eq`, `proxyAddresses/any(p:p eq …)`
//!   joined by `or`; OData quoting with doubled quotes), `GET /v1.0/users/{id}`,
//!   `GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.directoryRole`;
//! - `PATCH /v1.0/users/{id}` with exactly `{"passwordProfile":{password, forceChangePasswordNextSignIn,
//!   forceChangePasswordNextSignInWithMfa?}}` → 204; a weak password → the documented 400 body; a user
//!   synced from on-premises (`onPremisesSyncEnabled`) → Graph's 400 for on-premises mastered objects;
//! - 401 for a missing / unknown / expired bearer token, and queued 429s with `Retry-After`.
//!
//! Everything it receives is recorded for the tests to assert on.
#![allow(clippy::unwrap_used)]
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Map, Value};

pub const TENANT: &str = "contoso.onmicrosoft.com";
pub const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
pub const CLIENT_SECRET: &str = "Sim~Client~Secret~123";

/// A user in the simulated tenant.
#[derive(Clone, Debug)]
pub struct SimUser {
    pub id: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub upn: String,
    pub mail: Option<String>,
    pub proxy_addresses: Vec<String>,
    pub account_enabled: bool,
    /// Active tenant-wide built-in directory roles (e.g. "Global Administrator"): listed by
    /// transitiveMemberOf/directoryRole and by roleAssignments with directoryScopeId "/".
    pub roles: Vec<String>,
    /// Built-in roles assigned on an administrative unit only (roleAssignments, scope
    /// "/administrativeUnits/…"; not a directoryRole membership).
    pub scoped_roles: Vec<String>,
    /// Custom role definitions assigned (roleAssignments only).
    pub custom_roles: Vec<String>,
    /// PIM-eligible roles (roleEligibilitySchedules only, until activated).
    pub eligible_roles: Vec<String>,
    /// `onPremisesSyncEnabled` (synced from an on-premises AD by Entra Connect).
    pub on_premises_sync: bool,
    pub force_change: bool,
    pub password: String,
}

/// One PATCH the simulator accepted or refused: the user id and the exact JSON body.
#[derive(Clone, Debug)]
pub struct Patch {
    pub user: String,
    pub body: Value,
}

#[derive(Default)]
pub struct SimState {
    pub users: Vec<SimUser>,
    /// Issued tokens and when they expire.
    pub tokens: HashMap<String, Instant>,
    pub token_requests: u32,
    /// `expires_in` given with new tokens.
    pub expires_in: u64,
    pub patches: Vec<Patch>,
    /// Each entry answers one upcoming Graph (not token) request with 429 and this Retry-After.
    pub throttle: VecDeque<u64>,
    /// Each entry answers one upcoming Graph request with 503 and this Retry-After (after the
    /// 429 queue is empty).
    pub unavailable: VecDeque<u64>,
    /// Graph requests seen: "METHOD path?query" plus the ConsistencyLevel header.
    pub requests: Vec<String>,
    /// Answer role reads with 403 (an app without the permission).
    pub deny_roles: bool,
    /// Answer roleManagement roleAssignments reads with 403.
    pub deny_role_assignments: bool,
    /// Answer roleManagement roleEligibilitySchedules reads with 403 (no RoleEligibilitySchedule.Read.Directory).
    pub deny_eligibility: bool,
    /// Page user lists with this many users per page (`@odata.nextLink` with `$skiptoken`).
    pub page_size: Option<usize>,
    /// Base URL put into `@odata.nextLink` (tests can point it elsewhere).
    pub next_link_base: String,
}

/// A running simulator.
pub struct GraphSim {
    pub base: String,
    pub state: Arc<Mutex<SimState>>,
}

impl GraphSim {
    /// Starts on 127.0.0.1:0 on the current tokio runtime, with the fixture users.
    pub async fn start() -> GraphSim {
        let state = Arc::new(Mutex::new(SimState {
            users: fixture_users(),
            expires_in: 3599,
            ..Default::default()
        }));
        let app = Router::new()
            .route("/{tenant}/oauth2/v2.0/token", post(token))
            .route("/v1.0/users", get(list_users))
            .route("/v1.0/users/{id}", get(get_user).patch(patch_user))
            .route(
                "/v1.0/users/{id}/transitiveMemberOf/microsoft.graph.directoryRole",
                get(roles),
            )
            .route(
                "/v1.0/roleManagement/directory/roleAssignments",
                get(role_assignments),
            )
            .route(
                "/v1.0/roleManagement/directory/roleEligibilitySchedules",
                get(role_eligibility),
            )
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        state.lock().unwrap().next_link_base = base.clone();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        GraphSim { base, state }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut SimState) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// The `kind = "graph"` settings of a directory on this tenant, as an operator would write them.
    pub fn directory_config(&self) -> passdesk_server::directory::graph::GraphDirectoryConfig {
        passdesk_server::directory::graph::GraphDirectoryConfig {
            name: "contoso-m365".into(),
            tenant_id: TENANT.into(),
            client_id: CLIENT_ID.into(),
            client_secret: Some(passdesk_server::directory::secret::Secret::new(
                CLIENT_SECRET,
            )),
            client_secret_env: None,
            authority_url: self.base.clone(),
            graph_url: self.base.clone(),
            tenant_name: Some("Contoso".into()),
            custom_terms: vec!["contoso".into(), "widget".into()],
            allow_privileged: false,
            timeout_secs: 10,
            max_retry_wait_secs: 5,
        }
    }

    /// Changes one user as an admin would in the tenant.
    pub fn edit_user(&self, id: &str, f: impl FnOnce(&mut SimUser)) {
        self.with(|s| f(s.users.iter_mut().find(|u| u.id == id).unwrap()))
    }

    pub fn user(&self, id: &str) -> SimUser {
        self.with(|s| s.users.iter().find(|u| u.id == id).cloned().unwrap())
    }
}

fn user(
    id: &str,
    given: &str,
    surname: &str,
    upn: &str,
    mail: Option<&str>,
    proxies: &[&str],
) -> SimUser {
    SimUser {
        id: id.into(),
        display_name: format!("{given} {surname}"),
        given_name: given.into(),
        surname: surname.into(),
        upn: upn.into(),
        mail: mail.map(Into::into),
        proxy_addresses: proxies.iter().map(|p| p.to_string()).collect(),
        account_enabled: true,
        roles: Vec::new(),
        scoped_roles: Vec::new(),
        custom_roles: Vec::new(),
        eligible_roles: Vec::new(),
        on_premises_sync: false,
        force_change: false,
        password: "Initial!Passw0rd".into(),
    }
}

pub const JOHN: &str = "6f1c2d3e-0000-4000-8000-000000000001";
pub const MARY: &str = "6f1c2d3e-0000-4000-8000-000000000002";
pub const ADMIN: &str = "6f1c2d3e-0000-4000-8000-000000000003";
pub const GONE: &str = "6f1c2d3e-0000-4000-8000-000000000004";

fn fixture_users() -> Vec<SimUser> {
    let mut admin = user(
        ADMIN,
        "Ada",
        "Admin",
        "ada.admin@contoso.example",
        Some("ada.admin@contoso.example"),
        &[],
    );
    admin.roles = vec!["Global Administrator".into()];
    let mut gone = user(
        GONE,
        "Pat",
        "Gone",
        "pat.gone@contoso.example",
        Some("pat.gone@contoso.example"),
        &[],
    );
    gone.account_enabled = false;
    vec![
        user(
            JOHN,
            "John",
            "Smith",
            "jsmith@contoso.onmicrosoft.com",
            Some("john.smith@contoso.example"),
            &[
                "SMTP:john.smith@contoso.example",
                "smtp:johnny@contoso.example",
            ],
        ),
        user(
            MARY,
            "Mary-Jane",
            "O'Neil",
            "mjoneil@contoso.onmicrosoft.com",
            Some("mary-jane.o'neil@contoso.example"),
            &[],
        ),
        admin,
        gone,
    ]
}

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"error": {"code": code, "message": message,
        "innerError": {"date": "2026-11-27T05:00:00", "request-id": "00000000-0000-0000-0000-000000000000",
                       "client-request-id": "00000000-0000-0000-0000-000000000000"}}});
    (status, Json(body)).into_response()
}

async fn token(
    State(st): State<Arc<Mutex<SimState>>>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    s.token_requests += 1;
    let err = |status: StatusCode, error: &str, desc: &str| {
        (
            status,
            Json(json!({"error": error, "error_description": desc, "error_codes": [0]})),
        )
            .into_response()
    };
    if tenant != TENANT {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "AADSTS90002: Tenant not found.",
        );
    }
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return err(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "AADSTS70003: unsupported grant type",
        );
    }
    if !form
        .get("scope")
        .is_some_and(|sc| sc.ends_with("/.default"))
    {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "AADSTS1002012: The provided value for scope is not valid.",
        );
    }
    if form.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return err(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "AADSTS700016: Application not found in the directory.",
        );
    }
    if form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET) {
        return err(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided.",
        );
    }
    let token = format!("sim-token-{}-{}", s.token_requests, rand::random::<u64>());
    let expires_in = s.expires_in;
    s.tokens.insert(
        token.clone(),
        Instant::now() + Duration::from_secs(expires_in),
    );
    Json(json!({"token_type": "Bearer", "expires_in": expires_in, "ext_expires_in": expires_in, "access_token": token}))
        .into_response()
}

/// Bearer check, throttle queue and request log shared by every Graph route.
fn gate(s: &mut SimState, headers: &HeaderMap, line: String) -> Option<Response> {
    let cl = headers
        .get("ConsistencyLevel")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    s.requests.push(format!("{line} [ConsistencyLevel: {cl}]"));
    let bearer = headers
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let valid = s
        .tokens
        .get(bearer)
        .is_some_and(|exp| Instant::now() < *exp);
    if !valid {
        return Some(graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        ));
    }
    if s.throttle.is_empty() {
        if let Some(after) = s.unavailable.pop_front() {
            let mut r = graph_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "serviceNotAvailable",
                "The service is temporarily unavailable.",
            );
            r.headers_mut()
                .insert("Retry-After", after.to_string().parse().unwrap());
            return Some(r);
        }
    }
    if let Some(after) = s.throttle.pop_front() {
        let mut r = graph_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests.",
        );
        r.headers_mut()
            .insert("Retry-After", after.to_string().parse().unwrap());
        return Some(r);
    }
    None
}

fn to_json(u: &SimUser, select: Option<&str>) -> Value {
    let all = json!({
        "id": u.id, "displayName": u.display_name, "givenName": u.given_name, "surname": u.surname,
        "userPrincipalName": u.upn, "mail": u.mail, "proxyAddresses": u.proxy_addresses,
        "accountEnabled": u.account_enabled, "onPremisesSyncEnabled": u.on_premises_sync.then_some(true),
        "lastPasswordChangeDateTime": "2026-11-01T10:00:00Z",
        "passwordProfile": {"password": null, "forceChangePasswordNextSignIn": u.force_change,
                            "forceChangePasswordNextSignInWithMfa": false},
    });
    let Some(select) = select else { return all };
    let mut out = Map::new();
    out.insert("id".into(), all["id"].clone());
    for key in select.split(',').map(str::trim) {
        if let Some(v) = all.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    Value::Object(out)
}

/// One `$filter` clause.
#[derive(Debug)]
enum Clause {
    Eq(String, String),
    AnyEq(String, String),
}

/// Parses `clause (" or " clause)*` with OData string literals ('' is a quote).
fn parse_filter(f: &str) -> Result<Vec<Clause>, String> {
    let mut rest = f.trim();
    let mut out = Vec::new();
    loop {
        let (clause, after) = parse_clause(rest)?;
        out.push(clause);
        rest = after.trim_start();
        if rest.is_empty() {
            return Ok(out);
        }
        rest = rest
            .strip_prefix("or ")
            .ok_or_else(|| format!("expected 'or' at {rest:?}"))?;
    }
}

fn parse_literal(s: &str) -> Result<(String, &str), String> {
    let s = s.strip_prefix('\'').ok_or("expected a quoted string")?;
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|(_, c)| *c) == Some('\'') {
                chars.next();
                out.push('\'');
            } else {
                return Ok((out, &s[i + 1..]));
            }
        } else {
            out.push(c);
        }
    }
    Err("unterminated string".into())
}

fn parse_clause(s: &str) -> Result<(Clause, &str), String> {
    if let Some(rest) = s.strip_prefix("proxyAddresses/any(") {
        let (var, rest) = rest.split_once(':').ok_or("lambda variable")?;
        let rest = rest
            .strip_prefix(var)
            .and_then(|r| r.strip_prefix(" eq "))
            .ok_or("lambda body")?;
        let (lit, rest) = parse_literal(rest)?;
        let rest = rest.strip_prefix(')').ok_or("closing ')'")?;
        return Ok((Clause::AnyEq("proxyAddresses".into(), lit), rest));
    }
    let (prop, rest) = s
        .split_once(" eq ")
        .ok_or_else(|| format!("unsupported clause {s:?}"))?;
    if !["mail", "userPrincipalName"].contains(&prop) {
        return Err(format!("unsupported property {prop}"));
    }
    let (lit, rest) = parse_literal(rest)?;
    Ok((Clause::Eq(prop.into(), lit), rest))
}

fn matches(u: &SimUser, c: &Clause) -> bool {
    match c {
        Clause::Eq(p, v) if p == "mail" => {
            u.mail.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(v))
        }
        Clause::Eq(_, v) => u.upn.eq_ignore_ascii_case(v),
        Clause::AnyEq(_, v) => u.proxy_addresses.iter().any(|p| p.eq_ignore_ascii_case(v)),
    }
}

async fn list_users(
    State(st): State<Arc<Mutex<SimState>>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    let line = format!(
        "GET /v1.0/users $filter={}",
        q.get("$filter").map(String::as_str).unwrap_or("")
    );
    if let Some(r) = gate(&mut s, &headers, line) {
        return r;
    }
    let clauses = match q.get("$filter").map(|f| parse_filter(f)) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            return graph_error(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", &e)
        }
        None => Vec::new(),
    };
    let select = q.get("$select").map(String::as_str);
    let all: Vec<Value> = s
        .users
        .iter()
        .filter(|u| clauses.is_empty() || clauses.iter().any(|c| matches(u, c)))
        .map(|u| to_json(u, select))
        .collect();
    let skip: usize = q
        .get("$skiptoken")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let size = s.page_size.unwrap_or(100);
    let value: Vec<Value> = all.iter().skip(skip).take(size).cloned().collect();
    let mut body = json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": value});
    if q.get("$count").map(String::as_str) == Some("true") {
        body["@odata.count"] = json!(all.len());
    }
    if skip + size < all.len() {
        let mut next = url::Url::parse(&format!("{}/v1.0/users", s.next_link_base)).unwrap();
        for (k, v) in q.iter().filter(|(k, _)| k.as_str() != "$skiptoken") {
            next.query_pairs_mut().append_pair(k, v);
        }
        next.query_pairs_mut()
            .append_pair("$skiptoken", &(skip + size).to_string());
        body["@odata.nextLink"] = json!(next.to_string());
    }
    Json(body).into_response()
}

fn find<'a>(s: &'a mut SimState, id: &str) -> Option<&'a mut SimUser> {
    s.users
        .iter_mut()
        .find(|u| u.id == id || u.upn.eq_ignore_ascii_case(id))
}

fn not_found(id: &str) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
    )
}

async fn get_user(
    State(st): State<Arc<Mutex<SimState>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    if let Some(r) = gate(&mut s, &headers, format!("GET /v1.0/users/{id}")) {
        return r;
    }
    match find(&mut s, &id) {
        Some(u) => Json(to_json(u, q.get("$select").map(String::as_str))).into_response(),
        None => not_found(&id),
    }
}

async fn roles(
    State(st): State<Arc<Mutex<SimState>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let mut s = st.lock().unwrap();
    if let Some(r) = gate(
        &mut s,
        &headers,
        format!("GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.directoryRole"),
    ) {
        return r;
    }
    if s.deny_roles {
        return graph_error(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
    }
    match find(&mut s, &id) {
        Some(u) => {
            let value: Vec<Value> = u
                .roles
                .iter()
                .enumerate()
                .map(|(i, r)| json!({"@odata.type": "#microsoft.graph.directoryRole", "id": format!("role-{i}"), "displayName": r}))
                .collect();
            Json(json!({"value": value})).into_response()
        }
        None => not_found(&id),
    }
}

/// `principalId eq '<id>'`, the filter Graph requires on these lists for a principal.
fn principal_filter(q: &HashMap<String, String>) -> Option<String> {
    let f = q.get("$filter")?.trim();
    let rest = f.strip_prefix("principalId eq '")?.strip_suffix('\'')?;
    Some(rest.replace("''", "'"))
}

fn role_list(
    st: &Arc<Mutex<SimState>>,
    headers: &HeaderMap,
    q: &HashMap<String, String>,
    what: &str,
    pick: fn(&SimState) -> bool,
    rows: fn(&SimUser) -> Vec<(String, String)>,
) -> Response {
    let mut s = st.lock().unwrap();
    let line = format!(
        "GET /v1.0/roleManagement/directory/{what}?$filter={}",
        q.get("$filter").map(String::as_str).unwrap_or("")
    );
    if let Some(r) = gate(&mut s, headers, line) {
        return r;
    }
    if pick(&s) {
        return graph_error(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
    }
    let Some(principal) = principal_filter(q) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "Request_UnsupportedQuery",
            "A filter on principalId is required.",
        );
    };
    let value: Vec<Value> = s
        .users
        .iter()
        .filter(|u| u.id == principal)
        .flat_map(rows)
        .enumerate()
        .map(|(i, (role, scope))| {
            json!({"id": format!("{what}-{i}"), "principalId": principal,
                   "roleDefinitionId": format!("def-{role}"), "directoryScopeId": scope})
        })
        .collect();
    Json(json!({"value": value})).into_response()
}

async fn role_assignments(
    State(st): State<Arc<Mutex<SimState>>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    role_list(
        &st,
        &headers,
        &q,
        "roleAssignments",
        |s| s.deny_role_assignments,
        |u| {
            let tenant = u
                .roles
                .iter()
                .chain(&u.custom_roles)
                .map(|r| (r.clone(), "/".to_string()));
            let au = u
                .scoped_roles
                .iter()
                .map(|r| (r.clone(), "/administrativeUnits/au-1".to_string()));
            tenant.chain(au).collect()
        },
    )
}

async fn role_eligibility(
    State(st): State<Arc<Mutex<SimState>>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    role_list(
        &st,
        &headers,
        &q,
        "roleEligibilitySchedules",
        |s| s.deny_eligibility,
        |u| {
            u.eligible_roles
                .iter()
                .map(|r| (r.clone(), "/".to_string()))
                .collect()
        },
    )
}

/// Entra's cloud rule (docs/policy.md §3.1): 8–256 characters and 3 of 4 character classes.
fn complex_enough(pw: &str) -> bool {
    let n = pw.chars().count();
    let classes = [
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    (8..=256).contains(&n) && classes.iter().filter(|b| **b).count() >= 3
}

/// Exactly `{"passwordProfile":{…}}` with the documented keys and types.
fn check_patch(body: &Value) -> Result<(&str, bool), String> {
    let obj = body.as_object().ok_or("body is not an object")?;
    if obj.len() != 1 {
        return Err("only passwordProfile may be sent".into());
    }
    let pp = obj
        .get("passwordProfile")
        .and_then(Value::as_object)
        .ok_or("passwordProfile missing")?;
    for k in pp.keys() {
        if ![
            "password",
            "forceChangePasswordNextSignIn",
            "forceChangePasswordNextSignInWithMfa",
        ]
        .contains(&k.as_str())
        {
            return Err(format!("Invalid property '{k}'"));
        }
    }
    let pw = pp
        .get("password")
        .and_then(Value::as_str)
        .ok_or("password must be a string")?;
    let force = pp
        .get("forceChangePasswordNextSignIn")
        .and_then(Value::as_bool)
        .ok_or("forceChangePasswordNextSignIn must be a bool")?;
    if pp
        .get("forceChangePasswordNextSignInWithMfa")
        .is_some_and(|v| !v.is_boolean())
    {
        return Err("forceChangePasswordNextSignInWithMfa must be a bool".into());
    }
    Ok((pw, force))
}

async fn patch_user(
    State(st): State<Arc<Mutex<SimState>>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let mut s = st.lock().unwrap();
    if let Some(r) = gate(&mut s, &headers, format!("PATCH /v1.0/users/{id}")) {
        return r;
    }
    if headers.get("Content-Type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "Content-Type must be application/json",
        );
    }
    let Ok(json) = serde_json::from_slice::<Value>(&body) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Unable to read JSON request payload.",
        );
    };
    s.patches.push(Patch {
        user: id.clone(),
        body: json.clone(),
    });
    let (pw, force) = match check_patch(&json) {
        Ok(v) => v,
        Err(e) => return graph_error(StatusCode::BAD_REQUEST, "Request_BadRequest", &e),
    };
    if !complex_enough(pw) {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "The specified password does not comply with password complexity requirements. Please provide a different password.",
        );
    }
    let (pw, force) = (pw.to_owned(), force);
    match find(&mut s, &id) {
        // What Graph answers for a user Entra Connect syncs from an on-premises AD.
        Some(u) if u.on_premises_sync => graph_error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.",
        ),
        Some(u) => {
            u.password = pw;
            u.force_change = force;
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found(&id),
    }
}
