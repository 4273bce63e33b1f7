//! Reading `~/.aws` with the AWS CLI's (botocore's) own rules. No terminal code here.
