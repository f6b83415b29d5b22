//! A batch written as an ISO 20022 `pain.001.001.03` customer credit-transfer initiation:
//! one group header, one payment information block (the instance's account pays, SEPA
//! service level, charges shared `SLEV`, booked as one batch), one `CdtTrfTxInf` per payout.
//! quick-xml's writer does the escaping and the nesting; every text has passed
//! `latin_text` first, so the bank sees only characters it accepts.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{
    Batch, CreditTransfer, MAX_NAME, MAX_REMITTANCE, SepaError, amount_text, is_valid_id,
    latin_text,
};

/// The schema's namespace.
pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";

/// The document's text (UTF-8, indented by two spaces).
pub fn write(batch: &Batch) -> Result<String, SepaError> {
    let (count, sum) = batch.totals()?;
    if !is_valid_id(&batch.message_id) || batch.transfers.iter().any(|t| !is_valid_id(&t.reference))
    {
        return Err(SepaError::InvalidId);
    }
    let count = count.to_string();
    let sum = amount_text(sum).ok_or(SepaError::InvalidAmount)?;
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written = write_document(&mut writer, batch, &count, &sum);
    // Writing into a Vec fails only if the transfers' texts are not what `totals` checked.
    written.map_err(|_| SepaError::InvalidAmount)?;
    String::from_utf8(writer.into_inner()).map_err(|_| SepaError::InvalidId)
}

type Out = Writer<Vec<u8>>;

fn text(writer: &mut Out, name: &str, value: &str) -> io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn write_document(writer: &mut Out, batch: &Batch, count: &str, sum: &str) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let debtor_name = latin_text(&batch.debtor.name, MAX_NAME);
    writer
        .create_element("Document")
        .with_attribute(("xmlns", NAMESPACE))
        .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
        .write_inner_content(|w| {
            w.create_element("CstmrCdtTrfInitn")
                .write_inner_content(|w| {
                    w.create_element("GrpHdr").write_inner_content(|w| {
                        text(w, "MsgId", &batch.message_id)?;
                        let created = batch.created_at.format("%Y-%m-%dT%H:%M:%S").to_string();
                        text(w, "CreDtTm", &created)?;
                        text(w, "NbOfTxs", count)?;
                        text(w, "CtrlSum", sum)?;
                        w.create_element("InitgPty")
                            .write_inner_content(|w| text(w, "Nm", &debtor_name))?;
                        Ok(())
                    })?;
                    w.create_element("PmtInf")
                        .write_inner_content(|w| payment_information(w, batch, count, sum))?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn payment_information(w: &mut Out, batch: &Batch, count: &str, sum: &str) -> io::Result<()> {
    // One payment block per batch: its id may be the message's.
    text(w, "PmtInfId", &batch.message_id)?;
    text(w, "PmtMtd", "TRF")?;
    // One debit on the instance's statement for the whole batch.
    text(w, "BtchBookg", "true")?;
    text(w, "NbOfTxs", count)?;
    text(w, "CtrlSum", sum)?;
    w.create_element("PmtTpInf").write_inner_content(|w| {
        w.create_element("SvcLvl")
            .write_inner_content(|w| text(w, "Cd", "SEPA"))?;
        Ok(())
    })?;
    text(
        w,
        "ReqdExctnDt",
        &batch.execution_date.format("%Y-%m-%d").to_string(),
    )?;
    w.create_element("Dbtr")
        .write_inner_content(|w| text(w, "Nm", &latin_text(&batch.debtor.name, MAX_NAME)))?;
    account(w, "DbtrAcct", batch.debtor.iban.as_str())?;
    w.create_element("DbtrAgt").write_inner_content(|w| {
        w.create_element("FinInstnId")
            .write_inner_content(|w| match &batch.debtor.bic {
                Some(bic) => text(w, "BIC", bic.as_str()),
                // IBAN-only, as SEPA allows since 2016: the EPC's placeholder.
                None => {
                    w.create_element("Othr")
                        .write_inner_content(|w| text(w, "Id", "NOTPROVIDED"))?;
                    Ok(())
                }
            })?;
        Ok(())
    })?;
    text(w, "ChrgBr", "SLEV")?;
    for transfer in &batch.transfers {
        w.create_element("CdtTrfTxInf")
            .write_inner_content(|w| credit_transfer(w, transfer))?;
    }
    Ok(())
}

fn account(w: &mut Out, element: &str, iban: &str) -> io::Result<()> {
    w.create_element(element).write_inner_content(|w| {
        w.create_element("Id")
            .write_inner_content(|w| text(w, "IBAN", iban))?;
        Ok(())
    })?;
    Ok(())
}

fn credit_transfer(w: &mut Out, transfer: &CreditTransfer) -> io::Result<()> {
    w.create_element("PmtId")
        .write_inner_content(|w| text(w, "EndToEndId", &transfer.reference))?;
    let amount = amount_text(transfer.amount)
        .ok_or_else(|| io::Error::other("an amount that is not whole cents"))?;
    w.create_element("Amt").write_inner_content(|w| {
        w.create_element("InstdAmt")
            .with_attribute(("Ccy", "EUR"))
            .write_text_content(BytesText::new(&amount))?;
        Ok(())
    })?;
    w.create_element("Cdtr")
        .write_inner_content(|w| text(w, "Nm", &latin_text(&transfer.creditor_name, MAX_NAME)))?;
    account(w, "CdtrAcct", transfer.creditor_iban.as_str())?;
    w.create_element("RmtInf").write_inner_content(|w| {
        text(w, "Ustrd", &latin_text(&transfer.reference, MAX_REMITTANCE))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;
    use crate::domain::payout::Iban;
    use crate::domain::sepa::{Bic, Debtor};

    fn batch(names: &[&str]) -> Batch {
        let iban = |text: &str| Iban::parse(text).expect("IBAN");
        Batch {
            message_id: "OBOLE-20261206-0001".into(),
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .expect("date"),
            execution_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"),
            debtor: Debtor {
                name: "Obole SAS".into(),
                iban: iban("FR7630006000011234567890189"),
                bic: Bic::parse("BNPAFRPP"),
            },
            transfers: names
                .iter()
                .enumerate()
                .map(|(i, name)| CreditTransfer {
                    reference: format!("OBOLE-P{i}"),
                    amount: Money::from_micros(12_340_000),
                    creditor_name: (*name).to_owned(),
                    creditor_iban: iban("DE89370400440532013000"),
                })
                .collect(),
        }
    }

    #[test]
    fn writes_the_totals_and_each_transfer() {
        let xml = write(&batch(&["Alice", "Bob"])).expect("document");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains(NAMESPACE));
        assert_eq!(xml.matches("<NbOfTxs>2</NbOfTxs>").count(), 2);
        assert_eq!(xml.matches("<CtrlSum>24.68</CtrlSum>").count(), 2);
        assert_eq!(xml.matches("<CdtTrfTxInf>").count(), 2);
        assert!(xml.contains("<InstdAmt Ccy=\"EUR\">12.34</InstdAmt>"));
        assert!(xml.contains("<EndToEndId>OBOLE-P1</EndToEndId>"));
        assert!(xml.contains("<BIC>BNPAFRPP</BIC>"));
        assert!(xml.contains("<ChrgBr>SLEV</ChrgBr>"));
    }

    #[test]
    fn a_hostile_name_cannot_break_the_document() {
        let xml = write(&batch(&["</Nm><Nm>Eve & \"Co\" 'x' Зоя"])).expect("document");
        // The markup's characters left the SEPA set; the apostrophe is in it, escaped.
        assert!(
            xml.contains("<Nm>/Nm Nm Eve Co &apos;x&apos; Zoia</Nm>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<Nm>").count(), 3, "{xml}");
    }

    #[test]
    fn refuses_an_empty_batch_or_a_sub_cent_amount() {
        assert_eq!(write(&batch(&[])), Err(SepaError::Empty));
        let mut odd = batch(&["Alice"]);
        if let Some(t) = odd.transfers.first_mut() {
            t.amount = Money::from_micros(1_234_567);
        }
        assert_eq!(write(&odd), Err(SepaError::InvalidAmount));
    }
}
