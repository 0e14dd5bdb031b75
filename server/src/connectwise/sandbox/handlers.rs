//! HTTP side of the sandbox: the gate (faults, Basic auth, clientId) and the REST handlers.
// Handlers return early with a ready `Response` as the error; its size does not matter here.
#![allow(clippy::result_large_err)]
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Value};

use super::conditions;
use super::records::{company_ref, contact_json, project_fields, ticket_json};
use super::{kind_key, Fault, Sandbox, SandboxCredentials};
use crate::connectwise::TicketKind;

/// Longest note text accepted. ConnectWise's exact limit is not documented in our sources [I]; the
/// sandbox needs *a* limit so the 400 path is exercised.
pub const NOTE_TEXT_MAX: usize = 50_000;

type Reply = Result<Response, Response>;

pub(super) fn router(sb: Sandbox) -> Router {
    use TicketKind::{Project, Service};
    Router::new()
        .route(
            "/service/tickets/{id}",
            get(|s, p, q| async move { ticket(s, p, q, Service) }),
        )
        .route(
            "/project/tickets/{id}",
            get(|s, p, q| async move { ticket(s, p, q, Project) }),
        )
        .route(
            "/service/tickets/{id}/notes",
            get(|s, p, u, h, q| async move { list_notes(s, p, u, h, q, Service) })
                .post(|s, p, h, b| async move { post_note(s, p, h, b, Service) }),
        )
        .route(
            "/project/tickets/{id}/notes",
            get(|s, p, u, h, q| async move { list_notes(s, p, u, h, q, Project) })
                .post(|s, p, h, b| async move { post_note(s, p, h, b, Project) }),
        )
        .route("/company/companies", get(companies))
        .route("/company/contacts/{id}", get(contact))
        .fallback(|| async {
            cw_error(
                StatusCode::NOT_FOUND,
                "NotFound",
                "The requested resource was not found.",
                None,
            )
        })
        .layer(middleware::from_fn_with_state(sb.clone(), gate))
        .with_state(sb)
}

/// The documented error body `{code, message, errors}`.
fn cw_error(status: StatusCode, code: &str, message: &str, errors: Option<Value>) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "errors": errors})),
    )
        .into_response()
}

fn fault_response(f: Fault) -> Response {
    match f {
        Fault::RateLimited { retry_after_secs } => {
            let msg = format!("Too many requests. Please try again in {retry_after_secs} seconds.");
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"error": "ConnectWiseAPI", "message": msg})),
            )
                .into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            r
        }
        Fault::RateLimitedRaw { retry_after } => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"error": "ConnectWiseAPI", "message": "Too many requests."})),
            )
                .into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(retry_after));
            r
        }
        Fault::ServerError(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            cw_error(
                status,
                "InternalServerError",
                "An error occurred processing the request.",
                None,
            )
        }
        Fault::Unavailable => unavailable(),
        Fault::ClientError(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
            let (code, message) = match status {
                StatusCode::UNAUTHORIZED => {
                    ("Unauthorized", "The API member's keys are not valid.")
                }
                StatusCode::FORBIDDEN => (
                    "Forbidden",
                    "You do not have permission to perform this action.",
                ),
                _ => ("InvalidObject", "The request is not valid."),
            };
            cw_error(status, code, message, None)
        }
    }
}

fn unavailable() -> Response {
    cw_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
        "The service is temporarily unavailable.",
        None,
    )
}

/// Equal-time byte comparison, so the sandbox does not model a timing oracle.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn check_auth(creds: &SandboxCredentials, headers: &HeaderMap) -> Result<(), Response> {
    let expected = format!(
        "{}+{}:{}",
        creds.company_id, creds.public_key, creds.private_key
    );
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .and_then(|(_, b64)| {
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
        });
    if !given.is_some_and(|g| ct_eq(&g, expected.as_bytes())) {
        return Err(cw_error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "UserNotAuthenticated",
            None,
        ));
    }
    match headers.get("clientid").and_then(|v| v.to_str().ok()).map(str::trim) {
        None | Some("") => Err(cw_error(
            StatusCode::BAD_REQUEST,
            "InvalidClientId",
            "A clientId header is required. Register one at https://developer.connectwise.com/ClientID",
            None,
        )),
        Some(c) if c != creds.client_id => {
            Err(cw_error(StatusCode::BAD_REQUEST, "InvalidClientId", "The clientId is not registered.", None))
        }
        Some(_) => Ok(()),
    }
}

/// Every request: count, then outage / injected fault, then auth, then the handler.
async fn gate(State(sb): State<Sandbox>, req: Request, next: Next) -> Response {
    let refused = {
        let mut st = sb.lock();
        st.requests += 1;
        st.arrivals.push(super::Arrival {
            method: req.method().to_string(),
            path: req.uri().path().to_string(),
            at: std::time::Instant::now(),
        });
        st.last_headers = req
            .headers()
            .iter()
            .filter(|(k, _)| *k != header::AUTHORIZATION)
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        if st.down {
            Some(unavailable())
        } else if let Some(f) = st.faults.pop_front() {
            Some(fault_response(f))
        } else {
            check_auth(&st.creds, req.headers()).err()
        }
    };
    let mut resp = match refused {
        Some(r) => r,
        None => next.run(req).await,
    };
    resp.headers_mut()
        .insert("api-current-version", HeaderValue::from_static("2025.8"));
    resp
}

fn parse_query(raw: Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn parse_id(raw: &str) -> Result<u64, Response> {
    raw.parse().map_err(|_| {
        cw_error(
            StatusCode::BAD_REQUEST,
            "InvalidObject",
            "The id must be a positive integer.",
            None,
        )
    })
}

fn not_found(what: &str, id: u64) -> Response {
    cw_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("{what} with id {id} was not found."),
        None,
    )
}

fn with_fields(v: Value, q: &[(String, String)]) -> Value {
    match param(q, "fields") {
        Some(f) if !f.trim().is_empty() => project_fields(&v, f),
        _ => v,
    }
}

fn ticket(
    State(sb): State<Sandbox>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    kind: TicketKind,
) -> Reply {
    let id = parse_id(&id)?;
    let st = sb.lock();
    let t = st
        .tickets
        .get(&(kind_key(kind), id))
        .ok_or_else(|| not_found("Ticket", id))?;
    let v = ticket_json(
        t,
        st.companies.get(&t.company_id),
        t.contact_id.and_then(|c| st.contacts.get(&c)),
    );
    Ok(Json(with_fields(v, &parse_query(raw))).into_response())
}

async fn contact(
    State(sb): State<Sandbox>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let id = parse_id(&id)?;
    let st = sb.lock();
    let c = st
        .contacts
        .get(&id)
        .ok_or_else(|| not_found("Contact", id))?;
    let v = contact_json(c, st.companies.get(&c.company_id));
    Ok(Json(with_fields(v, &parse_query(raw))).into_response())
}

fn bad_condition(e: String) -> Response {
    cw_error(
        StatusCode::BAD_REQUEST,
        "InvalidCondition",
        &format!("The conditions could not be parsed: {e}"),
        None,
    )
}

/// The query parameter `name` parsed as ConnectWise conditions (absent: `None`; bad: the 400).
fn condition_param(
    q: &[(String, String)],
    name: &str,
) -> Result<Option<conditions::Expr>, Response> {
    param(q, name)
        .map(conditions::parse)
        .transpose()
        .map_err(bad_condition)
}

async fn companies(
    State(sb): State<Sandbox>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Reply {
    let q = parse_query(raw);
    let cond = condition_param(&q, "conditions")?;
    let matched: Vec<Value> = sb
        .lock()
        .companies
        .values()
        .map(company_ref)
        .filter(|v| cond.as_ref().is_none_or(|e| conditions::eval(e, v)))
        .collect();
    Ok(paged(matched, &q, &uri, &headers))
}

fn list_notes(
    State(sb): State<Sandbox>,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    kind: TicketKind,
) -> Reply {
    let id = parse_id(&id)?;
    let notes: Vec<Value> = {
        let st = sb.lock();
        if !st.tickets.contains_key(&(kind_key(kind), id)) {
            return Err(not_found("Ticket", id));
        }
        st.notes
            .iter()
            .filter(|(k, t, _)| *k == kind && *t == id)
            .map(|(_, _, v)| v.clone())
            .collect()
    };
    Ok(paged(notes, &parse_query(raw), &uri, &headers))
}

/// One page of `items` with `fields=` applied and a `Link` header (first / prev / next / last).
fn paged(
    items: Vec<Value>,
    q: &[(String, String)],
    uri: &axum::http::Uri,
    headers: &HeaderMap,
) -> Response {
    let page = param(q, "page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let size = param(q, "pageSize")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(25)
        .clamp(1, 1000);
    let last = items.len().div_ceil(size).max(1);
    let body: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|v| with_fields(v, q))
        .collect();

    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let link_to = |p: usize, rel: &str| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in q
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("page") && !k.eq_ignore_ascii_case("pageSize"))
        {
            ser.append_pair(k, v);
        }
        ser.append_pair("pageSize", &size.to_string())
            .append_pair("page", &p.to_string());
        format!(
            "<http://{host}{}?{}>; rel=\"{rel}\"",
            uri.path(),
            ser.finish()
        )
    };
    let mut links = vec![link_to(1, "first")];
    if page > 1 {
        links.push(link_to((page - 1).min(last), "prev"));
    }
    if page < last {
        links.push(link_to(page + 1, "next"));
    }
    links.push(link_to(last, "last"));

    let mut resp = Json(Value::Array(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        resp.headers_mut().insert(header::LINK, v);
    }
    resp
}

fn invalid_note(code: &str, message: &str) -> Response {
    let errors =
        json!([{"code": code, "message": message, "resource": "serviceNote", "field": "text"}]);
    cw_error(
        StatusCode::BAD_REQUEST,
        "InvalidObject",
        "serviceNote object is invalid",
        Some(errors),
    )
}

fn post_note(
    State(sb): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    kind: TicketKind,
) -> Reply {
    let id = parse_id(&id)?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    if !is_json {
        return Err(cw_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Content-Type must be application/json.",
            None,
        ));
    }
    let req: Value = serde_json::from_slice(&body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            cw_error(
                StatusCode::BAD_REQUEST,
                "InvalidObject",
                "The request body is not a JSON object.",
                None,
            )
        })?;
    let text = match req.get("text") {
        Some(Value::String(t)) if !t.trim().is_empty() => t.clone(),
        _ => return Err(invalid_note("NullOrEmpty", "The field text is required.")),
    };
    if text.chars().count() > NOTE_TEXT_MAX {
        return Err(invalid_note(
            "OutOfRange",
            &format!("The field text must be a string with a maximum length of {NOTE_TEXT_MAX}."),
        ));
    }
    let flag = |k: &str| req.get(k).and_then(Value::as_bool).unwrap_or(false);
    // ConnectWise e-mails the ticket's contact unless the note says not to: an omitted
    // processNotifications is true there, so a client that drops the field is caught here too.
    let notify = req
        .get("processNotifications")
        .and_then(Value::as_bool)
        .unwrap_or(true);

    let mut st = sb.lock();
    if !st.tickets.contains_key(&(kind_key(kind), id)) {
        return Err(not_found("Ticket", id));
    }
    let note_id = st.next_note_id;
    st.next_note_id += 1;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let note = json!({
        "id": note_id, "ticketId": id, "text": text,
        "detailDescriptionFlag": flag("detailDescriptionFlag"),
        "internalAnalysisFlag": flag("internalAnalysisFlag"),
        "resolutionFlag": flag("resolutionFlag"),
        "issueFlag": flag("issueFlag"),
        "processNotifications": notify,
        "internalFlag": flag("internalAnalysisFlag"), "externalFlag": flag("detailDescriptionFlag"),
        "member": {"id": 1, "identifier": "APIMember", "name": "API Member"},
        "dateCreated": now, "createdBy": "APIMember",
        "_info": {"lastUpdated": now, "updatedBy": "APIMember"},
    });
    st.notes.push((kind, id, note.clone()));
    Ok((StatusCode::CREATED, Json(note)).into_response())
}
