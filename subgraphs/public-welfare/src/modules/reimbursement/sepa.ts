// The SEPA Credit Transfer Initiation (pain.001.001.03) of a reimbursement batch: the kit's
// generator (`@welfare/kit/sepa`, shared with the IES circuits' conversions). The schema it is
// checked against, `pain.001.001.03.xsd`, lives next to this file.
export * from '@welfare/kit/sepa';
