//! The page kinds of the site, one file each: the home page, the challenges, the territories,
//! the datasets and the projects.

pub(crate) mod challenge;
pub(crate) mod dataset;
pub(crate) mod home;
pub(crate) mod projects;
pub(crate) mod territory;
