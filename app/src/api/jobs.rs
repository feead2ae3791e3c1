use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRunView {
    pub job: String,
    pub slot: String,
    pub status: String,
    pub rows_touched: i64,
    pub error: Option<String>,
    pub finished_at: Option<String>,
}

/// The latest scheduled job runs, newest first: the "last updated" the merchant sees.
#[server(endpoint = "jobs/recent", output = crate::api::codec::Json)]
pub async fn recent_jobs() -> Result<Vec<JobRunView>, AppError> {
    use crate::server::context::{run, worker_env};
    use crate::server::session::current_shop;
    run(async move {
        let env = worker_env().await?;
        // Only a signed-in shop may see them, though runs are not per shop yet.
        current_shop(&env).await?;
        let runs = crate::server::repo::job_runs::recent(&crate::server::shards::directory_db(&env)?, 20).await?;
        Ok(runs
            .into_iter()
            .map(|r| JobRunView {
                job: r.job,
                slot: r.slot,
                status: r.status,
                rows_touched: r.rows_touched,
                error: r.error,
                finished_at: r.finished_at,
            })
            .collect())
    })
    .await
}
