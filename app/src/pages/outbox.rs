use crate::api::outbox::{list_outbox, SendDigestsNow};
use crate::components::error_notice::ErrorNotice;
use crate::components::post_form::{FormAction, PostForm};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/dev/outbox`: what Stock Sentry would have mailed, newest first (local development).
#[component]
pub fn OutboxPage() -> impl IntoView {
    let send = FormAction::of::<SendDigestsNow>();
    let messages = Resource::new(move || send.version().get(), |_| list_outbox());
    view! {
        <Title text="Outbox · Stock Sentry"/>
        <h1>"Outbox"</h1>
        <p class="muted">"Mail captured instead of sent (MAIL_TRANSPORT = capture). Nothing here left the machine."</p>
        <PostForm action=send>
            <button type="submit" class="button">"Send due digests now"</button>
        </PostForm>
        {move || send.value().get().map(|r| match r {
            Ok(n) => view! { <p role="status">{format!("{n} digest(s) sent.")}</p> }.into_any(),
            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
        })}
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Ok(list) if list.is_empty() => view! { <p>"No mail yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="result-list outbox">
                            {list.into_iter().map(|m| view! {
                                <li data-outbox-id=m.id.to_string()>
                                    <h2 class="article-title">{m.subject}</h2>
                                    <p class="muted">{format!("{} → {} · {} · {}", m.sender, m.recipients.join(", "), m.tag, m.created_at)}</p>
                                    {(!m.attachments.is_empty()).then(|| view! {
                                        <p class="attachments">"Attachments: "
                                            {m.attachments.into_iter().map(|(name, href)| view! { <a class="attachment" href=href download=name.clone()>{name.clone()}</a>" " }).collect_view()}
                                        </p>
                                    })}
                                    <details>
                                        <summary>"HTML"</summary>
                                        <iframe title="HTML part" sandbox="" srcdoc=m.html style="width:100%;height:480px;border:1px solid #e1e3e5"></iframe>
                                    </details>
                                    <details>
                                        <summary>"Plain text"</summary>
                                        <pre>{m.text}</pre>
                                    </details>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
