//! The page kinds of the site, one file each: the home page, the challenges, the territories and their index,
//! the datasets, the projects and what changed since the release before.

pub(crate) mod applications;
pub(crate) mod challenge;
pub(crate) mod dataset;
pub(crate) mod home;
pub(crate) mod news;
pub(crate) mod project;
pub(crate) mod projects;
pub(crate) mod territories;
pub(crate) mod territory;
